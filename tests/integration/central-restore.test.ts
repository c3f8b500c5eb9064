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
  // What the device holds of the holiday rows central sent: the restore must not leave any out.
  const holidays = new Set<string>();

  beforeAll(async () => {
    central = await startCentral();
    hallId = (await central.admin.createHall('RESTOR')).id;
    device = await openSyncDevice({
      dataDir: tmp.dir,
      name: 'counter-restore',
      extraAppliers: {
        holiday: {
          apply: (row) => void (row.deleted ? holidays.delete(row.id) : holidays.add(row.id)),
          reset: () => holidays.clear(),
        },
      },
    });
    await device.engine.enroll(central.url, await central.admin.code(hallId, 'counter'));
  });
  afterAll(async () => {
    await device.close();
    await central.stop();
    tmp.remove();
  });

  const holiday = (date: string) =>
    central.admin.putRef('holiday', date, { hallId, data: { date, workday: false, name: date } });

  it('downloads everything again rather than skipping the rows written after the restore', async () => {
    const dumped = await holiday('2026-01-01');
    await holiday('2026-01-02');
    await holiday('2026-01-03');
    expect(await device.engine.runOnce()).toBe('ok');
    // The restore: what was written after the dump is gone, and the clock is back where it was.
    await central.pool.query('DELETE FROM ref_rows WHERE version > $1', [dumped]);
    await central.pool.query('UPDATE ref_clock SET version = $1', [dumped]);

    await holiday('2026-01-04');
    expect(await device.engine.runOnce()).toBe('ok');
    expect([...holidays]).toContain('2026-01-04');
  });
});
