import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../central/src/db/pool';
import { referenceStore } from '../../central/src/store/reference-store';
import { drain, openSyncDevice, type SyncDevice } from '../fixtures/central-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { bundle, refData } from '../fixtures/leader-core';
import { tempDir } from '../fixtures/temp-dir';

const WRITERS = 4;
const PER_WRITER = 150;

/**
 * (3) A device pulls in small pages while other transactions write reference rows and stay open for a
 * while before committing (so commits land out of start order): no row may be passed over.
 */
describe('pull while writers commit', () => {
  let central: TestCentral;
  let device: SyncDevice;
  let hallId: string;
  const tmp = tempDir('ow-sync-pull-');

  beforeAll(async () => {
    central = await startCentral({ poolSize: WRITERS + 4 });
    hallId = (await central.admin.createHall('PULL01')).id;
    device = await openSyncDevice({ dataDir: tmp.dir, name: 'puller', timing: { pullPage: 7 } });
    await device.engine.enroll(central.url, await central.admin.code(hallId, 'counter'));
  });
  afterAll(async () => {
    await device.close();
    await central.stop();
    tmp.remove();
  });

  // 600 writing transactions raced by a puller: a correctness check, not a timed one (on a loaded 2-core
  // machine it has taken over 30 s).
  it('ends with every row, pages strictly ordered by version', { timeout: 180_000 }, async () => {
    const versionsSeen: number[] = [];
    const apply = device.identity.applyPulled;
    // Watch what each page applies, in order.
    device.identity.applyPulled = (id, data) => {
      versionsSeen.push(Number(data?.pinHash));
      apply(id, data);
    };
    let writing = true;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < PER_WRITER; i++) {
        await inTransaction(central.pool, async (tx) => {
          const version = await referenceStore.put(tx, {
            kind: 'staff',
            id: `w${w}-${i}`,
            hallId,
            leaderId: null,
            deleted: false,
            data: {
              login: `w${w}-${i}`,
              name: `clerk ${w}-${i}`,
              roles: ['clerk'],
              enabled: true,
              pinHash: 'pending',
              passwordHash: null,
              totpSecret: null,
            },
          });
          // Hold the transaction open a little: a later writer queues behind the clock, not past it.
          await new Promise((r) => setTimeout(r, Math.random() * 3));
          await tx.query(
            `UPDATE ref_rows SET data = jsonb_set(data, '{pinHash}', to_jsonb($1::text)) WHERE version = $2`,
            [String(version), version],
          );
        });
      }
    });
    const puller = (async () => {
      while (writing) {
        expect(await device.engine.runOnce()).toBe('ok');
      }
    })();
    await Promise.all(writers);
    writing = false;
    await puller;
    const pagesBeforeFinal = versionsSeen.length;
    await drain(device);

    const ids = device.staff.list().map((c) => c.id);
    expect(ids).toHaveLength(WRITERS * PER_WRITER);
    // Most rows arrived while writers were still committing, not in the final catch-up.
    expect(pagesBeforeFinal).toBeGreaterThan((WRITERS * PER_WRITER) / 2);
    for (let i = 1; i < versionsSeen.length; i++) expect(versionsSeen[i]!).toBeGreaterThan(versionsSeen[i - 1]!);
  });

  it('starts over when central’s history restarts (reset): nothing pulled before survives unless sent again', async () => {
    const leaderTmp = tempDir('ow-sync-pull-leader-');
    const leader = await openSyncDevice({ dataDir: leaderTmp.dir, name: 'leader' });
    try {
      const leaderId = await central.admin.leader(hallId);
      const [kept, gone] = bundle().briefings;
      await leader.engine.enroll(central.url, await central.admin.code(hallId, 'leader', leaderId));
      await central.admin.putRef('leader.briefing', kept!.id, { hallId, leaderId, data: refData(kept!) });
      await drain(leader);
      // A row central no longer has (say, its database was rebuilt from a backup without it).
      leader.leaderContent.put('leader.briefing', gone!.id);
      const before = leader.state.get().cursor;
      await central.pool.query('UPDATE central_instance SET instance_id = gen_random_uuid()');
      await drain(leader);
      expect(leader.state.get().cursor.split('.')[0]).not.toBe(before.split('.')[0]);
      expect(leader.leaderContent.ids('leader.briefing')).toEqual([kept!.id]);
      // Staff accounts are rewritten by the full download, not dropped (counters refer to them).
      await drain(device);
      // The writers' accounts and the leader account the leader PC was enrolled for.
      expect(device.staff.list()).toHaveLength(WRITERS * PER_WRITER + 1);
    } finally {
      await leader.close();
      leaderTmp.remove();
    }
  });
});
