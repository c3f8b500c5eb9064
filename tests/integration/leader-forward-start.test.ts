import crypto from 'node:crypto';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, bundle, callerOf, startLeaderCore } from '../fixtures/leader-core';

/**
 * An action still to be forwarded at start that the device outbox refuses (here a trigger stands in for a
 * damaged device database). The core must start all the same (the other roles have nothing to do with it).
 */
describe('a leader row that cannot be forwarded at start', () => {
  let t: Awaited<ReturnType<typeof startLeaderCore>>;
  beforeAll(async () => {
    t = await startLeaderCore();
    t.knowCentral();
    await t.enrol();
    await t.value(callerOf('admin'), 'leader.admin.import', bundle());
    const leader = callerOf('leader');
    await t.login(leader);
    await t.value(leader, 'leader.action', {
      mutationId: crypto.randomUUID(),
      targetId: IDS.briefing,
      action: 'comment',
      comment: '同意',
    });
  });
  afterAll(() => t.stop());

  it('starts the core and logs the forwarding error', async () => {
    // The action as a crash before its forward left it: in leader.sqlite only.
    const edit = (file: string, sql: string) => {
      const db = new Sqlite(path.join(t.dataDir, file));
      db.exec(sql);
      db.close();
    };
    await t.restart(() => {
      edit('leader.sqlite', 'UPDATE leader_action SET forwarded = 0');
      edit('device.sqlite', "DELETE FROM outbox WHERE name = 'leader.action'");
      edit(
        'device.sqlite',
        `CREATE TRIGGER refuse_leader BEFORE INSERT ON outbox WHEN NEW.name = 'leader.action'
         BEGIN SELECT RAISE(ABORT, 'refused'); END`,
      );
    });
    expect((await t.call(callerOf('admin'), 'system.info', {})).ok).toBe(true);
    expect(t.errors.map((e) => e.msg)).toContain('leader outbox forwarding failed');
  });
});
