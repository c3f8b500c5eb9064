import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { drain, openSyncDevice, type SyncDevice } from '../fixtures/central-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

/** (6) A central that does not accept this device's sync schema answers 426; the device keeps its queue. */
describe('sync schema skew', () => {
  let central: TestCentral;
  let device: SyncDevice;
  const tmp = tempDir('ow-sync-skew-');

  beforeAll(async () => {
    central = await startCentral();
    const hall = await central.admin.createHall('SKEW01');
    device = await openSyncDevice({ dataDir: tmp.dir, name: 'skew' });
    await device.engine.enroll(central.url, await central.admin.code(hall.id, 'counter'));
  });
  afterAll(async () => {
    await device.close();
    await central.stop();
    tmp.remove();
  });

  it('answers 426 to push and pull, and the queue stays whole until central accepts the version', async () => {
    await central.restart({ schema: { min: SYNC_SCHEMA_VERSION + 1, max: SYNC_SCHEMA_VERSION + 1 } });
    device.write(25);
    expect(await device.engine.runOnce()).toBe('failed');
    expect(await device.engine.runOnce()).toBe('failed');
    const status = device.engine.status();
    expect(status.lastError).toMatch(/^SCHEMA_MISMATCH/);
    expect(status.pendingCount).toBe(25);
    expect(device.rows().every((r) => r.status === 'pending')).toBe(true);
    expect((await central.pool.query('SELECT count(*)::int AS n FROM mutations')).rows[0].n).toBe(0);

    const pull = await fetch(`${central.url}/sync/v1/pull?kinds=clerk`, {
      headers: { authorization: `Bearer ${device.token()}`, 'x-onewindow-sync-schema': String(SYNC_SCHEMA_VERSION) },
    });
    expect(pull.status).toBe(426);
    expect(await pull.json()).toEqual({
      error: 'SCHEMA_MISMATCH',
      accepted: { min: SYNC_SCHEMA_VERSION + 1, max: SYNC_SCHEMA_VERSION + 1 },
    });

    await central.restart({ schema: { min: 1, max: SYNC_SCHEMA_VERSION } });
    await drain(device);
    expect(device.engine.status()).toMatchObject({ pendingCount: 0, lastError: null });
    expect((await central.pool.query('SELECT count(*)::int AS n FROM mutations')).rows[0].n).toBe(25);
  });

  it('an unknown mutation or invalid args is a committed rejection that does not block what follows', async () => {
    device.write(1);
    device.db
      .transaction(() => {
        device.outbox.append({ name: 'test.unknown', version: 1, args: {}, entityId: null }, new Date());
        device.outbox.append(
          { name: 'test.note', version: 1, args: { device: 'skew', n: -1, text: 'bad' }, entityId: null },
          new Date(),
        );
      })
      .immediate();
    device.write(1);
    await drain(device);
    const last = device.rows().slice(-4);
    expect(last.map((r) => r.status)).toEqual(['applied', 'rejected', 'rejected', 'applied']);
    const results = device.db
      .prepare<[], { result: string | null }>('SELECT result FROM outbox ORDER BY write_order DESC LIMIT 3')
      .all()
      .map((r) => (r.result === null ? null : JSON.parse(r.result).reason));
    expect(results).toEqual([null, 'INVALID_ARGS', 'UNKNOWN_MUTATION']);
  });
});
