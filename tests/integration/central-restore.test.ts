import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSyncDevice, type SyncDevice } from '../fixtures/central-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

/**
 * Central's database restored from a dump taken before the device's last pull: the device's cursor is
 * ahead of central's clock, and the versions central hands out next are ones the device believes it has.
 */
describe('central: a device ahead of a restored central', () => {
  let central: TestCentral;
  const tmp = tempDir('ow-sync-restore-');
  let device: SyncDevice;
  let hallId: string;

  beforeAll(async () => {
    central = await startCentral();
    hallId = (await central.admin.createHall('RESTOR')).id;
    device = await openSyncDevice({ dataDir: tmp.dir, name: 'counter-restore' });
    await device.engine.enroll(central.url, await central.admin.code(hallId, 'counter'));
  });
  afterAll(async () => {
    await device.close();
    await central.stop();
    tmp.remove();
  });

  const clerk = (id: string) => central.admin.putRef('clerk', id, { hallId, data: { name: id, pinHash: 'x' } });

  it('downloads everything again rather than skipping the rows written after the restore', async () => {
    const dumped = await clerk('k-1');
    await clerk('k-2');
    await clerk('k-3');
    expect(await device.engine.runOnce()).toBe('ok');
    // The restore: what was written after the dump is gone, and the clock is back where it was.
    await central.pool.query('DELETE FROM ref_rows WHERE version > $1', [dumped]);
    await central.pool.query('UPDATE ref_clock SET version = $1', [dumped]);

    await clerk('k-4');
    expect(await device.engine.runOnce()).toBe('ok');
    expect(device.queue.clerks().map((c) => c.id)).toContain('k-4');
  });
});
