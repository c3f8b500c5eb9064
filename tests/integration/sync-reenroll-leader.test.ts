import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSyncDevice, drain, type SyncDevice } from '../fixtures/central-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { bundle, refData } from '../fixtures/leader-core';
import { tempDir } from '../fixtures/temp-dir';

const LEADER_1 = crypto.randomUUID();
const LEADER_2 = crypto.randomUUID();

/**
 * A leader device enrolled again in the same hall for another leader drops the first leader's pulled
 * schedules, briefings and files: central sends leader content only to the enrolled leader's device, so
 * it would never update or withdraw them here again.
 */
describe('sync: a leader device enrolled again for another leader of the same hall', () => {
  let central: TestCentral;
  const tmp = tempDir('ow-sync-reenroll-leader-');
  let d: SyncDevice | undefined;

  beforeAll(async () => {
    central = await startCentral();
  });
  afterAll(async () => {
    await d?.close();
    await central.stop();
    tmp.remove();
  });

  it('drops what was pulled for the previous leader', async () => {
    const hall = await central.admin.createHall('RVLDR');
    const [first, second] = bundle().schedules;
    await central.admin.putRef('leader.schedule', first!.id, {
      hallId: hall.id,
      leaderId: LEADER_1,
      data: refData(first!),
    });
    await central.admin.putRef('leader.schedule', second!.id, {
      hallId: hall.id,
      leaderId: LEADER_2,
      data: refData(second!),
    });
    d = await openSyncDevice({ dataDir: tmp.dir, name: 'rv-leader' });
    await d.engine.enroll(central.url, await central.admin.code(hall.id, 'leader', LEADER_1));
    await drain(d);
    expect(d.leaderContent.ids('leader.schedule')).toEqual([first!.id]);

    await d.engine.enroll(central.url, await central.admin.code(hall.id, 'leader', LEADER_2));
    await drain(d);
    expect(d.leaderContent.ids('leader.schedule')).toEqual([second!.id]);
  });
});
