import { describe, expect, it } from 'vitest';
import { drain } from '../fixtures/central-device';
import { centralWithDevice } from '../fixtures/central-reenroll';
import { bundle, refData } from '../fixtures/leader-core';

let LEADER_1: string;
let LEADER_2: string;

/**
 * A leader device enrolled again in the same hall for another leader drops the first leader's pulled
 * schedules, briefings and files: central sends leader content only to the enrolled leader's device, so
 * it would never update or withdraw them here again.
 */
describe('sync: a leader device enrolled again for another leader of the same hall', () => {
  const suite = centralWithDevice('ow-sync-reenroll-leader-');

  it('drops what was pulled for the previous leader', async () => {
    const { central, tmp } = suite;
    const hall = await central.admin.createHall('RVLDR');
    LEADER_1 = await central.admin.leader(hall.id);
    LEADER_2 = await central.admin.leader(hall.id);
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
    const d = await suite.openDevice({ dataDir: tmp.dir, name: 'rv-leader' });
    await d.engine.enroll(central.url, await central.admin.code(hall.id, 'leader', LEADER_1));
    await drain(d);
    expect(d.leaderContent.ids('leader.schedule')).toEqual([first!.id]);

    await d.engine.enroll(central.url, await central.admin.code(hall.id, 'leader', LEADER_2));
    await drain(d);
    expect(d.leaderContent.ids('leader.schedule')).toEqual([second!.id]);
  });
});
