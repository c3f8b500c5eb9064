import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationDefs } from '@shared/sync/mutations';
import { MAX_PULL_PAGE_BYTES } from '@shared/sync/wire';
import { LEADER_FILE_MAX_BYTES } from '@shared/api/methods/leader';
import { REF_BODY_LIMIT } from '../../central/src/routes/admin-routes';
import { referenceStore } from '../../central/src/store/reference-store';
import { drain, openSyncDevice, type SyncDevice } from '../fixtures/central-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import {
  IDS,
  PDF_BYTES,
  bundle,
  callerOf,
  putBundleAtCentral,
  refData,
  startLeaderCore,
} from '../fixtures/leader-core';
import { tempDir } from '../fixtures/temp-dir';
import { leaks } from '../fixtures/disk-leaks';

const admin = callerOf('admin');
const pane = callerOf('leader');
const week = { from: '2026-05-10T00:00:00.000Z', to: '2026-05-17T00:00:00.000Z' };
const COMMENT = '请抓紧落实 PLAINTEXT-INSTRUCTION-2290';
/** Text of central's content that must never be readable in the device's own database files. */
const CLEAR_TEXT = [
  'PLAINTEXT-MEETING-4821',
  'PLAINTEXT-NOTES-9913',
  'PLAINTEXT-BRIEFING-5532',
  'PLAINTEXT-BODY-6610',
  'SECRET-PDF-BODY-7731',
  '三楼第一会议室',
  '会议纪要.png',
];

/** A PDF of `mib` MiB of random bytes (so compression cannot shrink it) behind a findable marker. */
function bigPdf(mib: number, marker: string): Buffer {
  const head = Buffer.from(`%PDF-1.7\n% ${marker}\n`);
  return Buffer.concat([head, crypto.randomBytes(mib * 1024 * 1024 - head.length)]);
}

interface CentralAction {
  id: string;
  leaderId: string;
  targetId: string;
  action: string;
  comment: string | null;
}

/**
 * The leader pane against a real central on PostgreSQL: content put by the central administrator for
 * leader L arrives encrypted on L's device only, and L's actions and audit log come back to central.
 */
describe('leader content and actions through central', () => {
  let central: TestCentral;
  let hallId: string;
  let leaderId: string;
  let t: Awaited<ReturnType<typeof startLeaderCore>>;
  const big = [bigPdf(6, 'BIG-PDF-ONE-5150'), bigPdf(6, 'BIG-PDF-TWO-8808')];
  const bigIds: string[] = [crypto.randomUUID(), crypto.randomUUID()];
  const largestId = crypto.randomUUID();
  const others: SyncDevice[] = [];
  const dirs: ReturnType<typeof tempDir>[] = [];

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs] });
    hallId = (await central.admin.createHall('LEADHALL')).id;
    leaderId = await central.admin.leader(hallId);
    await putBundleAtCentral(central.admin, { hallId, leaderId });
    for (const [i, bytes] of big.entries()) {
      await central.admin.putRef('leader.file', bigIds[i]!, {
        hallId,
        leaderId,
        data: {
          name: `大文件${i}.pdf`,
          mime: 'application/pdf',
          classification: 'secret',
          publishedAt: '2026-05-10T01:00:00.000Z',
          dataBase64: bytes.toString('base64'),
        },
      });
    }
    t = await startLeaderCore();
    const code = await central.admin.code(hallId, 'leader', leaderId);
    await t.value(admin, 'sync.enroll', { centralUrl: central.url, code });
  }, 120_000);
  afterAll(async () => {
    for (const d of others) await d.close();
    for (const d of dirs) d.remove();
    t.stop();
    await central.stop();
  });

  it('waits for the leader account before taking the leader’s content, then seals it for that account', async () => {
    expect(await t.core.sync.runOnce()).toBe('failed');
    expect(t.core.sync.status().lastError).toMatch(/^LEADER_NOT_ENROLLED/);

    // Enrolled on a device enrolled for L, the account takes central's id for L.
    expect((await t.enrol()).leaderId).toBe(leaderId);
    // A second account on this device is another person: its own id, and central's id cannot be reused.
    const deputy = { login: 'li.na', name: '李娜', password: 'another long passphrase' };
    const second = await t.value<{ leaderId: string }>(admin, 'leader.admin.enrol', deputy);
    expect(second.leaderId).not.toBe(leaderId);
    expect(await t.call(admin, 'leader.admin.enrol', { ...deputy, login: 'wang.fang', leaderId })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', details: { reason: 'leader_id_taken' } },
    });
    expect(await t.core.sync.runOnce()).toBe('ok');

    expect(await t.login(pane)).toMatchObject({ ok: true });
    const schedule = await t.value<{ id: string; title: string }[]>(pane, 'leader.schedule.list', week);
    expect(schedule.map((s) => s.id).sort()).toEqual([IDS.meeting, IDS.visit, IDS.later].sort());
    expect(schedule.find((s) => s.id === IDS.meeting)!.title).toContain('PLAINTEXT-MEETING-4821');
    const files = await t.value<{ id: string; size: number }[]>(pane, 'leader.file.list', {});
    expect(files.map((f) => f.id).sort()).toEqual([IDS.png, IDS.pdf, ...bigIds].sort());
    const pdf = await t.value<{ dataBase64: string }>(pane, 'leader.file.view', { id: IDS.pdf });
    expect(Buffer.from(pdf.dataBase64, 'base64')).toEqual(PDF_BYTES);
    const one = await t.value<{ dataBase64: string; size: number }>(pane, 'leader.file.view', { id: bigIds[1] });
    expect(one.size).toBe(big[1]!.length);
    expect(Buffer.from(one.dataBase64, 'base64').equals(big[1]!)).toBe(true);
  });

  it('cuts pull pages by size, so each multi-MiB file travels in a page of its own', async () => {
    const scope = { hallId, leaderId, kinds: ['leader.file', 'leader.schedule', 'leader.briefing'] };
    const pages: string[][] = [];
    for (let after = 0, more = true; more;) {
      const page = await referenceStore.page(central.pool, scope, after, 1000, MAX_PULL_PAGE_BYTES);
      pages.push(page.rows.map((r) => r.id));
      after = page.rows.at(-1)?.version ?? after;
      more = page.more;
    }
    // The small content together, then each 8 MiB of base64 alone: never two big files in one answer.
    expect(pages.slice(0, 3)).toEqual([
      [IDS.meeting, IDS.visit, IDS.later, IDS.briefing, IDS.report, IDS.png, IDS.pdf],
      [bigIds[0]],
      [bigIds[1]],
    ]);
    expect(pages.slice(3).flat()).toEqual([]);
  });

  it('keeps no clear text of the content in device.sqlite or its WAL', () => {
    const deviceFiles = fs.readdirSync(t.dataDir).filter((f) => f.startsWith('device.sqlite'));
    expect(deviceFiles).toContain('device.sqlite-wal');
    for (const f of deviceFiles) {
      const bytes = fs.readFileSync(path.join(t.dataDir, f));
      // leaks() reads the outbox's deflated args too.
      expect(leaks(path.join(t.dataDir, f), [...CLEAR_TEXT, 'BIG-PDF-ONE-5150', 'BIG-PDF-TWO-8808']), f).toEqual([]);
      // Nor any stretch of the big file, in bytes or as the base64 it travelled in.
      expect(bytes.includes(big[0]!.subarray(4096, 4096 + 64)), f).toBe(false);
      expect(bytes.includes(Buffer.from(big[0]!.subarray(3000, 3048).toString('base64'))), f).toBe(false);
    }
  });

  it('sends L’s content to no other device: not a counter, not a device enrolled for another leader', async () => {
    for (const [role, leader] of [
      ['counter', null],
      ['leader', await central.admin.leader(hallId)],
    ] as const) {
      const tmp = tempDir('ow-sync-leader-other-');
      dirs.push(tmp);
      const d = await openSyncDevice({ dataDir: tmp.dir, name: `other-${role}` });
      others.push(d);
      await d.engine.enroll(central.url, await central.admin.code(hallId, role, leader));
      await drain(d);
      for (const kind of ['leader.schedule', 'leader.briefing', 'leader.file']) {
        expect(d.leaderContent.ids(kind), `${role} ${kind}`).toEqual([]);
      }
    }
  });

  it('brings the leader’s read mark and 批示 to central, where the audit chain verifies', async () => {
    await t.value(pane, 'leader.briefing.open', { id: IDS.briefing });
    const read = await t.value<{ id: string }>(pane, 'leader.action', {
      mutationId: crypto.randomUUID(),
      targetId: IDS.briefing,
      action: 'read',
    });
    const comment = await t.value<{ id: string }>(pane, 'leader.action', {
      mutationId: crypto.randomUUID(),
      targetId: IDS.briefing,
      action: 'comment',
      comment: COMMENT,
    });
    expect(await t.core.sync.runOnce()).toBe('ok');
    expect(t.core.sync.status().pendingCount).toBe(0);

    const actions = await central.admin.request<CentralAction[]>('GET', `/admin/v1/leaders/${leaderId}/actions`);
    expect(actions.json).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: read.id, leaderId, targetId: IDS.briefing, action: 'read', comment: null }),
        expect.objectContaining({ id: comment.id, action: 'comment', comment: COMMENT }),
      ]),
    );
    expect(actions.json).toHaveLength(2);

    const deviceId = t.core.sync.status().deviceId!;
    const local = t.core.leader.verifyAudit();
    expect(local.ok).toBe(true);
    const verify = `/admin/v1/devices/${deviceId}/leader-audit/verify`;
    expect((await central.admin.request('GET', verify)).json).toEqual({
      ok: true,
      entries: local.entries,
      firstBrokenSeq: null,
      reason: null,
      keyedFromSeq: 1,
      unkeyedEntries: 0,
    });

    // Someone edits a row at central: the chain breaks at that row.
    await central.pool.query(
      `UPDATE leader_audit SET event = 'login.success' WHERE device_id = $1 AND event = 'action.comment'`,
      [deviceId],
    );
    const tampered = (await central.admin.request<{ ok: boolean; firstBrokenSeq: number }>('GET', verify)).json;
    expect(tampered.ok).toBe(false);
    const { rows } = await central.pool.query<{ seq: number }>(
      `SELECT seq FROM leader_audit WHERE device_id = $1 AND event = 'login.success' ORDER BY seq DESC LIMIT 1`,
      [deviceId],
    );
    expect(tampered.firstBrokenSeq).toBe(rows[0]!.seq);
  });

  it('refuses at central what the pane would refuse: bad items, ids that are not UUIDs, forged actions', async () => {
    const schedule = bundle().schedules[0]!;
    const put = (kind: string, id: string, data: unknown) =>
      central.admin.request('PUT', `/admin/v1/ref/${kind}/${id}`, { hallId, leaderId, data });
    expect((await put('leader.schedule', 'not-a-uuid', refData(schedule))).status).toBe(400);
    expect(
      (await put('leader.schedule', crypto.randomUUID(), { ...refData(schedule), end: schedule.start })).status,
    ).toBe(400);
    expect((await put('leader.briefing', crypto.randomUUID(), { title: 'x' })).status).toBe(400);
    const pdf = refData(bundle().files[1]!);
    expect((await put('leader.file', crypto.randomUUID(), { ...pdf, name: '../x.pdf' })).status).toBe(400);
    // A page the device refuses would stop its pull: central already refuses bytes that are not their type.
    const html = { ...pdf, dataBase64: Buffer.from('<html>not a pdf</html>').toString('base64') };
    expect((await put('leader.file', crypto.randomUUID(), html)).status).toBe(400);
    expect((await put('leader.file', crypto.randomUUID(), { ...pdf, dataBase64: '' })).status).toBe(400);
    // The admin's PUT of a row has room for a file of the largest size, and no more.
    const oversize = { ...pdf, dataBase64: `JVBERi0${'A'.repeat(REF_BODY_LIMIT)}` };
    expect((await put('leader.file', crypto.randomUUID(), oversize)).status).toBe(413);
    const largest = bigPdf(LEADER_FILE_MAX_BYTES / (1024 * 1024), 'LARGEST-PDF-4471');
    const stored = await put('leader.file', largestId, { ...pdf, dataBase64: largest.toString('base64') });
    expect(stored.status).toBe(200);
    // A device enrolled for another leader cannot act for L.
    const stranger = others[1]!;
    const forged = crypto.randomUUID();
    const args = { id: forged, leaderId, targetId: IDS.briefing, action: 'approve', comment: null, at: week.from };
    stranger.db
      .transaction(() =>
        stranger.outbox.append({ name: 'leader.action', version: 1, args, entityId: forged }, new Date()),
      )
      .immediate();
    await drain(stranger);
    const sent = stranger.db
      .prepare<[], { status: string; result: string }>(`SELECT status, result FROM outbox WHERE name = 'leader.action'`)
      .get()!;
    expect(sent.status).toBe('rejected');
    expect(JSON.parse(sent.result)).toMatchObject({ reason: 'FOREIGN_LEADER' });
    const held = await central.admin.request<CentralAction[]>('GET', `/admin/v1/leaders/${leaderId}/actions`);
    expect(held.json.map((a) => a.id)).not.toContain(forged);
  });

  it('applies deletions, and after central’s history restarts drops what central no longer sends', async () => {
    await central.admin.request('POST', `/admin/v1/ref/leader.schedule/${IDS.later}/delete`, { hallId, leaderId });
    expect(await t.core.sync.runOnce()).toBe('ok');
    const ids = async () =>
      (await t.value<{ id: string }[]>(pane, 'leader.schedule.list', week)).map((s) => s.id).sort();
    expect(await ids()).toEqual([IDS.meeting, IDS.visit].sort());

    // A row that central lost (its database rebuilt without it), then a new history.
    await central.pool.query(`DELETE FROM ref_rows WHERE id = $1`, [IDS.visit]);
    await central.pool.query('UPDATE central_instance SET instance_id = gen_random_uuid()');
    expect(await t.core.sync.runOnce()).toBe('ok');
    expect(await ids()).toEqual([IDS.meeting]);
    // The file of the largest size came down with the rest, in a page of its own.
    const files = await t.value<{ id: string; size: number }[]>(pane, 'leader.file.list', {});
    expect(files).toHaveLength(5);
    expect(files.find((f) => f.id === largestId)?.size).toBe(LEADER_FILE_MAX_BYTES);
    // The read mark survives: actions are the leader's own, not central's content.
    const briefing = await t.value<{ read: boolean }>(pane, 'leader.briefing.open', { id: IDS.briefing });
    expect(briefing.read).toBe(true);
  });
});
