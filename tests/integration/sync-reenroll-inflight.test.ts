import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { drain } from '../fixtures/central-device';
import { centralWithDevice } from '../fixtures/central-reenroll';

/**
 * `engine.enroll` checks the pending rows before the enrolment request and again in the switch's
 * transaction: a row written while the request is on its way is never dropped without `force`.
 */
describe('sync: enrolling into another hall without force', () => {
  const suite = centralWithDevice('ow-sync-reenroll-inflight-');

  it('never drops a row written during the enrolment request', async () => {
    const { central, tmp } = suite;
    const [hallA, hallB] = await suite.twoHalls('INFLA', 'INFLB');
    let writeDuringEnroll = false;
    const slowFetch: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (writeDuringEnroll && url.includes('/enroll')) {
        writeDuringEnroll = false;
        // A clerk accepts a case while the admin's enrolment is on its way to central.
        d.write(1);
      }
      return fetch(input, init);
    };
    const d = await suite.openDevice({ dataDir: path.join(tmp.dir, 'dev'), name: 'inflight-dev', fetch: slowFetch });
    await d.engine.enroll(central.url, await central.admin.code(hallA, 'counter'));
    d.write(1);
    await drain(d);
    expect(d.outbox.pendingCount()).toBe(0);

    writeDuringEnroll = true;
    const outcome = await d.engine
      .enroll(central.url, await central.admin.code(hallB, 'counter'))
      .catch((e: unknown) => e);
    // Refused in the switch's transaction: the device stays in hall A with hall A's token.
    expect(outcome).toMatchObject({ code: 'PENDING_ROWS' });
    expect(d.engine.status()).toMatchObject({ hallCode: 'INFLA', enrolled: true, pendingCount: 1 });
    expect(d.rows().filter((r) => r.status === 'pending')).toHaveLength(1);
    expect(await d.engine.runOnce()).toBe('ok');
    const held = await central.pool.query<{ hall_id: string }>(
      `SELECT hall_id FROM mutations WHERE args->>'device' = 'inflight-dev' ORDER BY (args->>'n')::int`,
    );
    expect(held.rows.map((r) => r.hall_id)).toEqual([hallA, hallA]);
  });
});
