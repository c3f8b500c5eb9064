import crypto from 'node:crypto';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationDefs } from '@shared/sync/mutations';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { LEADER_DATABASE_FILE_NAME } from '../../electron/core/config/paths';
import { IDS, bundle, callerOf, putBundleAtCentral, refData, startLeaderCore } from '../fixtures/leader-core';

const admin = callerOf('admin');
const pane = callerOf('leader');

/**
 * A leader device moved to another hall: the audit rows its move writes (the old hall's content
 * dropped) and whatever the old hall's enrolment still had to send never reach the new hall's central.
 * Old leader actions that cannot be delivered block the move; `force` drops them, counted (their
 * records, the old hall's content, go with the move).
 */
describe('sync: a leader device enrolled again into another hall', () => {
  let central: TestCentral;
  let t: Awaited<ReturnType<typeof startLeaderCore>>;
  let leaderId: string;
  let hallA: string;
  let hallB: string;
  const briefingB = crypto.randomUUID();

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs] });
    hallA = (await central.admin.createHall('LAUDA')).id;
    hallB = (await central.admin.createHall('LAUDB')).id;
    leaderId = await central.admin.leader([hallA, hallB]);
    await putBundleAtCentral(central.admin, { hallId: hallA, leaderId });
    const data = refData(bundle().briefings[0]!);
    await central.admin.putRef('leader.briefing', briefingB, { hallId: hallB, leaderId, data });
    t = await startLeaderCore();
    const code = await central.admin.code(hallA, 'leader', leaderId);
    await t.value(admin, 'sync.enroll', { centralUrl: central.url, code });
    await t.enrol();
    expect(await t.core.sync.runOnce()).toBe('ok');
  }, 120_000);
  afterAll(async () => {
    t.stop();
    await central.stop();
  });

  const eventsAt = async (deviceId: string) =>
    (
      await central.pool.query<{ event: string }>('SELECT event FROM leader_audit WHERE device_id = $1 ORDER BY seq', [
        deviceId,
      ])
    ).rows.map((r) => r.event);
  const hallOfAction = async (id: string) =>
    (await central.pool.query<{ hall_id: string }>('SELECT hall_id FROM leader_actions WHERE id = $1', [id])).rows.map(
      (r) => r.hall_id,
    );
  const act = async (targetId: string) =>
    (
      await t.value<{ id: string }>(pane, 'leader.action', {
        mutationId: crypto.randomUUID(),
        targetId,
        action: 'read',
      })
    ).id;
  /** What leader.sqlite holds, read beside the running core. */
  const leaderDb = <T>(sql: string, ...params: unknown[]): T[] => {
    const db = new Sqlite(path.join(t.dataDir, LEADER_DATABASE_FILE_NAME), { readonly: true });
    try {
      return db.prepare<unknown[], T>(sql).all(...params);
    } finally {
      db.close();
    }
  };

  it('refuses while an old leader action is undelivered; with force drops and counts it (with the audit row of the refusal), sending it nowhere', async () => {
    expect(await t.login(pane)).toMatchObject({ ok: true });
    await t.value(pane, 'leader.briefing.open', { id: IDS.briefing });
    const delivered = await act(IDS.briefing);
    expect(await t.core.sync.runOnce()).toBe('ok');
    expect(await hallOfAction(delivered)).toEqual([hallA]);

    const deviceA = t.core.sync.status().deviceId!;
    expect((await central.admin.request('POST', `/admin/v1/devices/${deviceA}/revoke`)).status).toBe(200);
    const stranded = await act(IDS.briefing);
    const code = await central.admin.code(hallB, 'leader', leaderId);
    expect(await t.call(admin, 'sync.enroll', { centralUrl: central.url, code })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', details: { reason: 'PENDING_ROWS' } },
    });

    const moved = await t.value<{ dropped: number; hallCode: string }>(admin, 'sync.enroll', {
      centralUrl: central.url,
      code,
      force: true,
    });
    // The action and the audit row it wrote, and the device audit log's row of the refused enrolment.
    expect(moved).toMatchObject({ hallCode: 'LAUDB', dropped: 3 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(await t.core.sync.runOnce()).toBe('ok');
    expect(await hallOfAction(stranded)).toEqual([]);
    expect(await hallOfAction(delivered)).toEqual([hallA]);
  });

  it('writes the drop of the old hall’s content in the local audit chain, never in the new hall’s', async () => {
    const deviceB = t.core.sync.status().deviceId!;
    const resets = leaderDb<{ seq: number }>(`SELECT seq FROM leader_audit WHERE event = 'import.reset'`);
    expect(resets).toHaveLength(3);
    expect(t.core.leader.verifyAudit().ok).toBe(true);

    await t.value(pane, 'leader.briefing.open', { id: briefingB });
    await act(briefingB);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await t.core.sync.runOnce()).toBe('ok');
    expect(t.core.sync.status().pendingCount).toBe(0);
    // What the device does in hall B reaches hall B; nothing of the move itself does.
    const atB = await eventsAt(deviceB);
    expect(atB).toContain('action.read');
    expect(atB).not.toContain('import.reset');
  });
});
