import crypto from 'node:crypto';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationDefs } from '@shared/sync/mutations';
import { createLeaderStore } from '../../electron/core/store/leader-store';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { filesUnder, leaks } from '../fixtures/disk-leaks';
import { IDS, LEADER, bundle, callerOf, putBundleAtCentral, startLeaderCore } from '../fixtures/leader-core';

const admin = callerOf('admin');
const pane = callerOf('leader');
const week = { from: '2026-05-10T00:00:00.000Z', to: '2026-05-17T00:00:00.000Z' };

const LOCAL = {
  schedule: crypto.randomUUID(),
  briefing: crypto.randomUUID(),
  /** Imported by hand here first; central later publishes and withdraws a row of the same id. */
  shared: crypto.randomUUID(),
  pdf: crypto.randomUUID(),
};
const LOCAL_PDF = Buffer.from('%PDF-1.4\n% 手工导入 LOCAL-PDF-BODY-4417\n%%EOF\n');
const COMMENT = '请办理 LOCAL-COMMENT-8025';
/** Text of the hand-imported content, which central never had: never readable on disk either. */
const LOCAL_TEXT = ['LOCAL-SCHEDULE-1093', 'LOCAL-BRIEFING-2784', 'LOCAL-BODY-5561', 'LOCAL-PDF-BODY-4417', '手工导入'];
/** Central's content, which must stay sealed after its full download again. */
const CENTRAL_TEXT = ['PLAINTEXT-MEETING-4821', 'PLAINTEXT-BRIEFING-5532', 'SECRET-PDF-BODY-7731', '三楼第一会议室'];

const localBundle = () => ({
  leader: LEADER.login,
  schedules: [
    {
      id: LOCAL.schedule,
      title: '现场办公 LOCAL-SCHEDULE-1093',
      kind: 'visit',
      start: '2026-05-12T01:00:00.000Z',
      end: '2026-05-12T02:00:00.000Z',
      location: '',
      attendees: [],
      notes: '',
    },
  ],
  briefings: [
    {
      id: LOCAL.briefing,
      kind: 'report',
      title: '专报 LOCAL-BRIEFING-2784',
      body: '正文 LOCAL-BODY-5561',
      priority: 'urgent',
      publishedAt: '2026-05-11T00:00:00.000Z',
    },
    {
      id: LOCAL.shared,
      kind: 'briefing',
      title: '本机版本',
      body: '本机正文',
      priority: 'normal',
      publishedAt: '2026-05-11T00:30:00.000Z',
    },
  ],
  files: [
    {
      id: LOCAL.pdf,
      name: '手工导入.pdf',
      mime: 'application/pdf',
      classification: 'secret',
      publishedAt: '2026-05-11T00:00:00.000Z',
      dataBase64: LOCAL_PDF.toString('base64'),
    },
  ],
  remove: [],
});

/**
 * Content comes two ways: pulled from central and imported by hand. When central's history restarts
 * (`reset: true`), the device drops what it pulled and downloads it again; what was imported by hand
 * is the device's own and must survive, with the leader's actions on it.
 */
describe('hand-imported leader content and a restarted central history', () => {
  let central: TestCentral;
  let hallId: string;
  let leaderId: string;
  let t: Awaited<ReturnType<typeof startLeaderCore>>;
  const raw = () => new Sqlite(path.join(t.dataDir, 'leader.sqlite'), { readonly: true });
  const briefings = () => t.value<{ id: string; title: string; read: boolean }[]>(pane, 'leader.briefing.list', {});

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs] });
    hallId = (await central.admin.createHall('SRCHALL')).id;
    leaderId = await central.admin.leader(hallId);
    await putBundleAtCentral(central.admin, { hallId, leaderId });
    t = await startLeaderCore();
    await t.value(admin, 'sync.enroll', {
      centralUrl: central.url,
      code: await central.admin.code(hallId, 'leader', leaderId),
    });
    await t.enrol();
    expect(await t.core.sync.runOnce()).toBe('ok');
    await t.value(admin, 'leader.admin.import', localBundle());
    expect(await t.login(pane)).toMatchObject({ ok: true });
  }, 120_000);
  afterAll(async () => {
    t.stop();
    await central.stop();
  });

  it('records each row’s source: pulled rows as central’s, hand-imported ones as local', () => {
    const db = raw();
    const rows = db.prepare('SELECT id, source FROM leader_record').all() as { id: string; source: string }[];
    db.close();
    const source = Object.fromEntries(rows.map((r) => [r.id, r.source]));
    for (const id of Object.values(IDS)) expect(source[id], id).toBe('central');
    for (const id of Object.values(LOCAL)) expect(source[id], id).toBe('local');
  });

  it('never lets a pulled row replace or delete a local one of the same id, and says so in the audit', async () => {
    await central.admin.putRef('leader.briefing', LOCAL.shared, {
      hallId,
      leaderId,
      data: { kind: 'briefing', title: '中心版本', body: '中心正文', priority: 'normal', publishedAt: week.from },
    });
    expect(await t.core.sync.runOnce()).toBe('ok');
    const shared = await t.value<{ title: string; body: string }>(pane, 'leader.briefing.open', { id: LOCAL.shared });
    expect(shared).toMatchObject({ title: '本机版本', body: '本机正文' });

    const del = await central.admin.request('POST', `/admin/v1/ref/leader.briefing/${LOCAL.shared}/delete`, {
      hallId,
      leaderId,
    });
    expect(del.status).toBeLessThan(300);
    expect(await t.core.sync.runOnce()).toBe('ok');
    expect((await briefings()).map((b) => b.id)).toContain(LOCAL.shared);

    const db = raw();
    const kept = db
      .prepare(`SELECT COUNT(*) AS n FROM leader_audit WHERE event = 'import.kept_local' AND target_id = ?`)
      .get(LOCAL.shared) as { n: number };
    db.close();
    expect(kept.n).toBe(1);
    // The other way too: a hand import cannot take over central's record.
    const taken = {
      ...localBundle(),
      schedules: [],
      files: [],
      briefings: [{ ...localBundle().briefings[0]!, id: IDS.briefing }],
    };
    expect(await t.call(admin, 'leader.admin.import', taken)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', details: { reason: 'id_taken', id: IDS.briefing } },
    });
  });

  it('keeps hand-imported content and its actions through a reset, downloads central’s again, drops orphans', async () => {
    const act = (targetId: string, action: string, comment?: string) =>
      t.value(pane, 'leader.action', { mutationId: crypto.randomUUID(), targetId, action, comment });
    await act(IDS.briefing, 'read');
    await act(IDS.report, 'approve');
    await act(LOCAL.briefing, 'comment', COMMENT);
    await act(LOCAL.pdf, 'read');
    // Pushed, so every action is central's too and a forwarded one may go with its record.
    expect(await t.core.sync.runOnce()).toBe('ok');

    // Central rebuilt without one of its briefings: a new history, which the device downloads in full.
    await central.pool.query('DELETE FROM ref_rows WHERE id = $1', [IDS.report]);
    await central.pool.query('UPDATE central_instance SET instance_id = gen_random_uuid()');
    expect(await t.core.sync.runOnce()).toBe('ok');

    const list = await briefings();
    expect(list.map((b) => b.id).sort()).toEqual([IDS.briefing, LOCAL.briefing, LOCAL.shared].sort());
    expect(list.find((b) => b.id === IDS.briefing)).toMatchObject({ read: true });
    const local = await t.value<{ title: string; actions: { comment: string | null }[] }>(
      pane,
      'leader.briefing.open',
      { id: LOCAL.briefing },
    );
    expect(local.title).toContain('LOCAL-BRIEFING-2784');
    expect(local.actions.map((a) => a.comment)).toEqual([COMMENT]);

    const schedule = await t.value<{ id: string }[]>(pane, 'leader.schedule.list', week);
    expect(schedule.map((s) => s.id).sort()).toEqual([IDS.meeting, IDS.visit, IDS.later, LOCAL.schedule].sort());
    const files = await t.value<{ id: string; read: boolean }[]>(pane, 'leader.file.list', {});
    expect(files.map((f) => f.id).sort()).toEqual([IDS.png, IDS.pdf, LOCAL.pdf].sort());
    expect(files.find((f) => f.id === LOCAL.pdf)).toMatchObject({ read: true });
    const pdf = await t.value<{ dataBase64: string }>(pane, 'leader.file.view', { id: LOCAL.pdf });
    expect(Buffer.from(pdf.dataBase64, 'base64')).toEqual(LOCAL_PDF);

    // The approval of the briefing central no longer has went with it; the audit rows naming it stay.
    const db = raw();
    const orphans = db.prepare('SELECT COUNT(*) AS n FROM leader_action WHERE target_id = ?').get(IDS.report);
    const named = db.prepare('SELECT COUNT(*) AS n FROM leader_audit WHERE target_id = ?').get(IDS.report);
    const blobs = db
      .prepare('SELECT COUNT(*) AS n FROM leader_file_blob WHERE record_id NOT IN (SELECT id FROM leader_record)')
      .get();
    db.close();
    expect(orphans).toEqual({ n: 0 });
    expect(named).toEqual({ n: 1 });
    expect(blobs).toEqual({ n: 0 });
    expect(t.core.leader.verifyAudit()).toMatchObject({ ok: true });
  });

  it('leaves no known plain text in any file of the data folder, before and after a restart', async () => {
    const needles = [...LOCAL_TEXT, ...CENTRAL_TEXT, COMMENT, bundle().briefings[1]!.title];
    for (const f of filesUnder(t.dataDir)) expect(leaks(f, needles), f).toEqual([]);
    await t.restart();
    await t.core.sync.stop();
    for (const f of filesUnder(t.dataDir)) expect(leaks(f, needles), f).toEqual([]);
  });
});

/**
 * A leader.sqlite written before records knew their source: the migration tells them apart by the
 * audit log's imports (the pull's have origin `sync`), keeps every ciphertext as it is, and keeps
 * anything it cannot tell apart as local, so a reset never deletes it.
 */
describe('migrating an existing leader.sqlite to record sources', () => {
  let t: Awaited<ReturnType<typeof startLeaderCore>>;
  let leaderId: string;
  const pulled = { schedule: crypto.randomUUID(), pdf: crypto.randomUUID(), close: crypto.randomUUID() };
  const handLate = crypto.randomUUID();
  const centralPdf = Buffer.from('%PDF-1.4\n% PULLED-PDF-BODY-3390\n%%EOF\n');
  const file = localBundle().files[0]!;
  const schedule = localBundle().schedules[0]!;
  const dbFile = () => path.join(t.dataDir, 'leader.sqlite');
  const sources = () => {
    const db = new Sqlite(dbFile(), { readonly: true });
    const rows = db.prepare('SELECT id, source FROM leader_record').all() as { id: string; source: string }[];
    db.close();
    return Object.fromEntries(rows.map((r) => [r.id, r.source]));
  };

  beforeAll(async () => {
    t = await startLeaderCore();
    ({ leaderId } = await t.enrol());
    // By hand first, then central's content ten minutes later.
    await t.value(admin, 'leader.admin.import', bundle());
    t.clock.ms += 10 * 60_000;
    t.core.leader.importLeaderContent(leaderId, {
      schedules: [{ ...schedule, id: pulled.schedule, title: '中心日程' }],
      files: [{ ...file, id: pulled.pdf, name: '中心.pdf', dataBase64: centralPdf.toString('base64') }],
    });
    // A hand import and a pull 20 s apart: too close to tell which wrote what.
    t.clock.ms += 10 * 60_000;
    // The admin page locked itself in the twenty minutes (300 s idle): the administrator signs in again.
    await t.signInAdmin();
    await t.value(admin, 'leader.admin.import', {
      ...localBundle(),
      briefings: [],
      files: [],
      schedules: [{ ...schedule, id: handLate }],
    });
    t.clock.ms += 20_000;
    t.core.leader.importLeaderContent(leaderId, { schedules: [{ ...schedule, id: pulled.close, title: '紧挨着' }] });
    expect(await t.login(pane)).toMatchObject({ ok: true });
    await t.value(pane, 'leader.action', { mutationId: crypto.randomUUID(), targetId: pulled.pdf, action: 'read' });

    // Back to the schema before the source column, rows and ciphertexts untouched. Leader migration 3's
    // key pair columns go too and come back empty: the pair is put back as it was once the migrations ran
    // (their conversion of older accounts is leader-key-upgrade's matter).
    let keys: { id: string; seal_public: Buffer; seal_private_by_password: Buffer }[] = [];
    await t.restart(() => {
      const db = new Sqlite(dbFile());
      keys = db.prepare('SELECT id, seal_public, seal_private_by_password FROM leader_account').all() as typeof keys;
      db.exec(`
        ALTER TABLE leader_record DROP COLUMN source;
        ALTER TABLE leader_account DROP COLUMN seal_public;
        ALTER TABLE leader_account DROP COLUMN seal_private_by_password;
        ALTER TABLE leader_action DROP COLUMN for_central;
        DROP TABLE leader_central_key;`);
      db.pragma('user_version = 1');
      db.close();
    });
    await t.restart(() => {
      const db = new Sqlite(dbFile());
      const put = db.prepare(
        'UPDATE leader_account SET seal_public = @seal_public, seal_private_by_password = @seal_private_by_password WHERE id = @id',
      );
      for (const k of keys) put.run(k);
      db.close();
    });
  });
  afterAll(() => t.stop());

  it('classifies the rows: by hand or unclear as local, pulled as central', () => {
    const db = new Sqlite(dbFile(), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    db.close();
    const source = sources();
    for (const id of Object.values(IDS)) expect(source[id], id).toBe('local');
    expect(source[pulled.schedule]).toBe('central');
    expect(source[pulled.pdf]).toBe('central');
    expect(source[handLate]).toBe('local');
    expect(source[pulled.close]).toBe('local');
  });

  it('keeps every record readable, with its actions', async () => {
    t.nextStep();
    expect(await t.login(pane)).toMatchObject({ ok: true });
    const ids = (await t.value<{ id: string }[]>(pane, 'leader.schedule.list', week)).map((s) => s.id);
    expect(ids.sort()).toEqual([IDS.meeting, IDS.visit, IDS.later, pulled.schedule, handLate, pulled.close].sort());
    expect(await t.value(pane, 'leader.briefing.list', {})).toHaveLength(2);
    const pdf = await t.value<{ dataBase64: string; read: boolean }>(pane, 'leader.file.view', { id: pulled.pdf });
    expect(Buffer.from(pdf.dataBase64, 'base64')).toEqual(centralPdf);
    expect(pdf.read).toBe(true);
    const png = await t.value<{ dataBase64: string }>(pane, 'leader.file.view', { id: IDS.png });
    expect(png.dataBase64).toBe(bundle().files[0]!.dataBase64);
  });

  it('drops only what it classified as central on a reset, and its audit chain still verifies', () => {
    expect(t.core.leader.verifyAudit()).toMatchObject({ ok: true });
    // What a reset runs for each pulled kind (through the service in the test above).
    const db = new Sqlite(dbFile());
    const store = createLeaderStore(db);
    for (const kind of ['schedule', 'briefing', 'file'] as const) store.deleteKind(leaderId, kind, 'central');
    db.close();
    const left = Object.keys(sources()).sort();
    expect(left).toEqual([...Object.values(IDS), handLate, pulled.close].sort());
  });
});
