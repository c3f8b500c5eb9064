import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffMs } from '../../electron/core/sync/sync-engine';
import { openSyncDevice, type SyncDevice } from '../fixtures/central-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

const MUTATIONS = 10_000;
const THREE_DAYS_MS = 3 * 24 * 3600 * 1000;

/** (4) A device cut off from central for (simulated) three days writes 10,000 mutations, then catches up. */
describe('offline for three days, then catch-up', () => {
  let central: TestCentral;
  let device: SyncDevice;
  const tmp = tempDir('ow-sync-offline-');
  let clock = Date.parse('2026-11-20T08:00:00Z');

  beforeAll(async () => {
    central = await startCentral();
    const hall = await central.admin.createHall('OFF01');
    device = await openSyncDevice({
      dataDir: tmp.dir,
      name: 'offline',
      now: () => new Date(clock),
      timing: { pushBatch: 500 },
    });
    await device.engine.enroll(central.url, await central.admin.code(hall.id, 'counter'));
  });
  afterAll(async () => {
    await device.close();
    await central.stop();
    tmp.remove();
  });

  it('keeps everything while unreachable and drains it in order once central is back', async () => {
    const enrollment = device.state.get().enrollment!;
    // The network is gone: central's address answers nothing.
    device.state.enroll({ ...enrollment, centralUrl: 'http://127.0.0.1:9' });
    device.engine.start();
    for (let i = 0; i < 100; i++) {
      device.write(MUTATIONS / 100);
      clock += THREE_DAYS_MS / 100;
      await new Promise((r) => setTimeout(r, 5));
    }
    const offline = device.engine.status();
    expect(offline.pendingCount).toBe(MUTATIONS);
    expect(offline.lastError).toMatch(/^NETWORK/);
    expect(offline.lastSuccessAt).toBeNull();

    // Back online; the running loop drains on its own.
    const t0 = performance.now();
    device.state.enroll(enrollment);
    device.engine.nudge();
    while (device.outbox.pendingCount() > 0) await new Promise((r) => setTimeout(r, 20));
    const seconds = (performance.now() - t0) / 1000;
    await device.engine.stop();

    const { rows } = await central.pool.query<{ mutation_id: string; n: number }>(
      `SELECT mutation_id, (args->>'n')::int AS n FROM mutations ORDER BY received_order`,
    );
    expect(rows.map((r) => r.mutation_id)).toEqual(device.rows().map((r) => r.mutation_id));
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: MUTATIONS }, (_, i) => i));
    expect(device.engine.status()).toMatchObject({ pendingCount: 0, lastError: null });
    console.log(JSON.stringify({ catchUp: { mutations: MUTATIONS, seconds: +seconds.toFixed(2) } }));
  }, 180_000);

  it('backs off exponentially with jitter, capped', () => {
    const timing = { baseBackoffMs: 1000, maxBackoffMs: 300_000 };
    expect(backoffMs(1, timing, () => 0)).toBe(500);
    expect(backoffMs(1, timing, () => 1)).toBe(1000);
    expect(backoffMs(4, timing, () => 1)).toBe(8000);
    expect(backoffMs(4, timing, () => 0)).toBe(4000);
    expect(backoffMs(40, timing, () => 1)).toBe(300_000);
    expect(backoffMs(40, timing, () => 0)).toBe(150_000);
  });
});
