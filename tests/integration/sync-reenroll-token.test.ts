import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { centralWithDevice } from '../fixtures/central-reenroll';

/**
 * `engine.enroll` changes the enrolment (hall, device id, forgotten outbox, purge) and the token together:
 * when storing the token fails (safeStorage unavailable, a full disk), the device stays where it was, and
 * never believes it is in hall B while it holds hall A's token.
 */
describe('sync: enrolling into another hall when the token cannot be stored', () => {
  const suite = centralWithDevice('ow-sync-reenroll-token-');

  it('never sends the new hall’s writes with the old hall’s token', async () => {
    const { central, tmp } = suite;
    const [hallA, hallB] = await suite.twoHalls('RVTKA', 'RVTKB');
    const d = await suite.openDevice({ dataDir: tmp.dir, name: 'rv-token' });
    await d.engine.enroll(central.url, await central.admin.code(hallA, 'counter'));
    expect(await d.engine.runOnce()).toBe('ok');

    // The secret store's next write fails (its temp file's place is taken).
    fs.mkdirSync(path.join(tmp.dir, 'secrets', 'central-token.secret.tmp'), { recursive: true });
    const failed = await d.engine
      .enroll(central.url, await central.admin.code(hallB, 'counter'))
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);

    const status = d.engine.status();
    d.write(1);
    await d.engine.runOnce();
    const where = await central.pool.query<{ hall_id: string }>(
      `SELECT hall_id FROM mutations WHERE args->>'device' = 'rv-token'`,
    );
    // Either the enrolment did not happen (still hall A, row in A) or it did and the row is in B.
    const expected = status.hallCode === 'RVTKB' ? hallB : hallA;
    expect(where.rows.map((r) => r.hall_id)).toEqual([expected]);
  });
});
