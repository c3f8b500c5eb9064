import crypto from 'node:crypto';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { centralCommentAad } from '@shared/leader/seal-format';
import type { LeaderActionSealedArgs } from '@shared/sync/mutations/leader';
import { createOutboxStore } from '../../electron/core/store/outbox-store';
import { IDS, LEADER, bundle, callerOf, startLeaderCore } from '../fixtures/leader-core';
import { decodeArgs } from '../../electron/core/store/outbox-args';

const leader = callerOf('leader', 'window-leader-1');
const admin = callerOf('admin');
const week = { from: '2026-05-10T16:00:00.000Z', to: '2026-05-17T16:00:00.000Z' };

describe('leader pane service', () => {
  let t: Awaited<ReturnType<typeof startLeaderCore>>;
  let leaderId: string;
  beforeEach(async () => {
    t = await startLeaderCore();
    ({ leaderId } = await t.enrol());
    await t.value(admin, 'leader.admin.import', bundle());
  });
  afterEach(() => t.stop());

  const raw = () => new Sqlite(path.join(t.dataDir, 'leader.sqlite'));

  it('enrols a leader with a one-time otpauth URI and refuses a second account with that login', async () => {
    const again = await t.call(admin, 'leader.admin.enrol', LEADER);
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { reason: 'login_taken' } } });
  });

  it('unlocks with password and current code, for this window only (another window: SIGN_IN_REQUIRED from the dispatcher)', async () => {
    expect(await t.login(leader)).toMatchObject({ ok: true, value: { state: 'unlocked', leaderName: '张伟' } });
    expect(await t.call(leader, 'leader.schedule.list', week)).toMatchObject({ ok: true });
    const other = callerOf('leader', 'window-leader-2');
    expect(await t.call(other, 'leader.schedule.list', week)).toMatchObject({
      ok: false,
      error: { code: 'SIGN_IN_REQUIRED', details: { reason: 'SIGN_IN_REQUIRED' } },
    });
    expect(await t.value(other, 'leader.session.status', {})).toEqual({ state: 'locked', idleLockSeconds: 180 });
  });

  it('refuses a wrong password, a wrong code and a replayed code with one clear reason', async () => {
    const wrongPassword = await t.login(leader, 'not the password');
    expect(wrongPassword).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { reason: 'bad_credentials', attemptsLeft: 4 } },
    });
    const wrongCode = await t.call(leader, 'leader.session.login', {
      login: LEADER.login,
      password: LEADER.password,
      code: '000000' === t.code() ? '111111' : '000000',
    });
    expect(wrongCode).toMatchObject({ ok: false, error: { details: { reason: 'bad_credentials', attemptsLeft: 3 } } });
    expect(await t.login(leader)).toMatchObject({ ok: true });
    await t.value(leader, 'leader.session.lock', {});
    // Same 30 s step: the code was used already.
    expect(await t.login(leader)).toMatchObject({ ok: false, error: { details: { reason: 'bad_credentials' } } });
    t.nextStep();
    expect(await t.login(leader)).toMatchObject({ ok: true });
  });

  it('locks out after five failures for 30 s, then doubling, and a restart does not reset it', async () => {
    for (let i = 0; i < 4; i++) await t.login(leader, 'wrong password!');
    const fifth = await t.login(leader, 'wrong password!');
    expect(fifth).toMatchObject({ ok: false, error: { details: { reason: 'locked_out', retryAfterSeconds: 30 } } });
    await t.restart();
    t.clock.ms += 10_000;
    expect(await t.login(leader)).toMatchObject({
      ok: false,
      error: { details: { reason: 'locked_out', retryAfterSeconds: 20 } },
    });
    t.clock.ms += 21_000;
    expect(await t.login(leader, 'wrong password!')).toMatchObject({ error: { details: { retryAfterSeconds: 60 } } });
    t.clock.ms += 61_000;
    expect(await t.login(leader)).toMatchObject({ ok: true });
    // Success resets the count.
    await t.value(leader, 'leader.session.lock', {});
    t.nextStep();
    expect(await t.login(leader, 'wrong password!')).toMatchObject({ error: { details: { attemptsLeft: 4 } } });
  });

  it('expires the session after the idle time, server-side (the dispatcher refuses SIGN_IN_REQUIRED), and audits the lock', async () => {
    await t.login(leader);
    t.clock.ms += 179_000;
    expect(await t.call(leader, 'leader.briefing.list', {})).toMatchObject({ ok: true });
    t.clock.ms += 179_000;
    expect(await t.value(leader, 'leader.session.status', {})).toMatchObject({ state: 'unlocked' });
    t.clock.ms += 180_000;
    expect(await t.call(leader, 'leader.briefing.list', {})).toMatchObject({
      ok: false,
      error: { code: 'SIGN_IN_REQUIRED', details: { reason: 'SIGN_IN_REQUIRED' } },
    });
    expect(await t.value(leader, 'leader.session.status', {})).toMatchObject({ state: 'locked' });
    const events = raw().prepare('SELECT event, detail FROM leader_audit ORDER BY seq').all() as {
      event: string;
      detail: string;
    }[];
    expect(events.at(-1)).toEqual({ event: 'lock', detail: '{"reason":"idle"}' });
  });

  it('ends an idle session on the periodic sweep, without waiting for a call', async () => {
    await t.login(leader);
    t.clock.ms += 170_000;
    t.core.leader.lockIdle();
    expect(await t.value(leader, 'leader.session.status', {})).toMatchObject({ state: 'unlocked' });
    t.clock.ms += 180_000;
    t.core.leader.lockIdle();
    const last = raw().prepare('SELECT event, detail FROM leader_audit ORDER BY seq DESC LIMIT 1').get();
    expect(last).toEqual({ event: 'lock', detail: '{"reason":"idle"}' });
    expect(await t.value(leader, 'leader.session.status', {})).toMatchObject({ state: 'locked' });
  });

  it('locks every pane at once (screen lock, suspend)', async () => {
    await t.login(leader);
    t.core.leader.lockAll('screen-lock');
    expect(await t.value(leader, 'leader.session.status', {})).toMatchObject({ state: 'locked' });
  });

  it('shows the day with conflicts marked, briefings with read state, files with classification', async () => {
    await t.login(leader);
    const items = await t.value<{ id: string; conflictsWith: string[] }[]>(leader, 'leader.schedule.list', {
      from: '2026-05-10T16:00:00.000Z',
      to: '2026-05-11T16:00:00.000Z',
    });
    expect(items.map((i) => [i.id, i.conflictsWith])).toEqual([
      [IDS.meeting, [IDS.visit]],
      [IDS.visit, [IDS.meeting]],
    ]);
    expect(await t.value(leader, 'leader.schedule.list', week)).toHaveLength(3);

    const briefings = await t.value<{ id: string; read: boolean }[]>(leader, 'leader.briefing.list', {});
    expect(briefings.map((b) => [b.id, b.read])).toEqual([
      [IDS.briefing, false],
      [IDS.report, false],
    ]);
    await t.value(leader, 'leader.action', { mutationId: crypto.randomUUID(), targetId: IDS.briefing, action: 'read' });
    expect((await t.value<{ read: boolean }[]>(leader, 'leader.briefing.list', {}))[0]!.read).toBe(true);

    const opened = await t.value<{ body: string }>(leader, 'leader.briefing.open', { id: IDS.briefing });
    expect(opened.body).toBe('正文 PLAINTEXT-BODY-6610');

    const view = await t.value<{ printable: boolean; watermark: { viewer: string }; dataBase64: string }>(
      leader,
      'leader.file.view',
      { id: IDS.png },
    );
    expect(view).toMatchObject({
      printable: false,
      watermark: { viewer: '张伟', at: new Date(t.clock.ms).toISOString() },
    });
    expect(await t.value(leader, 'leader.file.view', { id: IDS.pdf })).toMatchObject({
      printable: true,
      classification: 'internal',
    });
  });

  it('writes each action once (by mutation id) with its audit row, and forwards both to the device outbox', async () => {
    const central = t.knowCentral();
    await t.login(leader);
    const mutationId = crypto.randomUUID();
    const input = { mutationId, targetId: IDS.briefing, action: 'comment', comment: '请抓紧落实 批示' };
    const first = await t.value(leader, 'leader.action', input);
    expect(await t.value(leader, 'leader.action', input)).toEqual(first);
    expect(await t.call(leader, 'leader.action', { ...input, action: 'approve' })).toMatchObject({
      error: { code: 'CONFLICT' },
    });
    expect(
      await t.call(leader, 'leader.action', { ...input, mutationId: crypto.randomUUID(), targetId: IDS.meeting }),
    ).toMatchObject({
      error: { code: 'NOT_FOUND', details: { reason: 'target_not_found' } },
    });

    const device = new Sqlite(path.join(t.dataDir, 'device.sqlite'), { readonly: true });
    const outbox = createOutboxStore(device);
    const [sent] = outbox.forEntity(mutationId) as { name: string; version: number; args: LeaderActionSealedArgs }[];
    expect(sent).toMatchObject({
      name: 'leader.action',
      version: 2,
      args: { id: mutationId, targetId: IDS.briefing, action: 'comment' },
    });
    // Sealed for central: its key opens it, bound to this action.
    const box = Buffer.from(sent!.args.sealedComment, 'base64');
    expect(JSON.parse(central.open(box, centralCommentAad(leaderId, mutationId)).toString())).toEqual({
      comment: '请抓紧落实 批示',
    });
    expect(() => central.open(box, centralCommentAad(leaderId, crypto.randomUUID()))).toThrow();
    const audits = device.prepare(`SELECT args FROM outbox WHERE name = 'leader.audit' ORDER BY seq`).all() as {
      args: Buffer;
    }[];
    const events = audits.map((a) => (decodeArgs(a.args) as { event: string }).event);
    expect(events).toEqual(['enrol', 'import', 'login.success', 'action.comment']);
    const forwarded = raw().prepare('SELECT count(*) AS n FROM leader_audit WHERE forwarded = 0').get() as {
      n: number;
    };
    expect(forwarded.n).toBe(0);
    device.close();
  });

  it('heals a crash between outbox copy and marking: no loss, no duplicate', async () => {
    t.knowCentral();
    await t.login(leader);
    await t.value(leader, 'leader.action', {
      mutationId: crypto.randomUUID(),
      targetId: IDS.report,
      action: 'approve',
    });
    await t.value(leader, 'leader.session.lock', {});
    // As if the app died after the outbox commit but before the leader store marked the rows.
    const db = raw();
    db.prepare('UPDATE leader_audit SET forwarded = 0').run();
    db.prepare('UPDATE leader_action SET forwarded = 0').run();
    db.close();
    await t.restart();
    const device = new Sqlite(path.join(t.dataDir, 'device.sqlite'), { readonly: true });
    // The device's own audit log (admin sign-ins, the enrolment) goes out too; the leader rows are counted here.
    const counts = device
      .prepare(`SELECT name, count(*) AS n FROM outbox WHERE name LIKE 'leader.%' GROUP BY name ORDER BY name`)
      .all();
    expect(counts).toEqual([
      { name: 'leader.action', n: 1 },
      { name: 'leader.audit', n: 5 },
    ]);
    device.close();
  });

  it('changes the password by re-wrapping the private key only: every ciphertext stays byte for byte', async () => {
    await t.login(leader);
    const before = raw().prepare('SELECT id, body FROM leader_record ORDER BY id').all();
    const keys = () =>
      raw().prepare('SELECT seal_public, seal_private_by_password FROM leader_account').get() as Record<string, Buffer>;
    const keysBefore = keys();
    t.nextStep();
    const changed = await t.call(leader, 'leader.password.change', {
      currentPassword: LEADER.password,
      newPassword: 'a brand new passphrase',
      code: t.code(),
    });
    expect(changed).toMatchObject({ ok: true });
    expect(raw().prepare('SELECT id, body FROM leader_record ORDER BY id').all()).toEqual(before);
    // The same key pair, wrapped anew.
    expect(keys().seal_public).toEqual(keysBefore.seal_public);
    expect(keys().seal_private_by_password).not.toEqual(keysBefore.seal_private_by_password);
    await t.value(leader, 'leader.session.lock', {});
    t.nextStep();
    expect(await t.login(leader)).toMatchObject({ ok: false, error: { details: { reason: 'bad_credentials' } } });
    expect(await t.login(leader, 'a brand new passphrase')).toMatchObject({ ok: true });
    expect(await t.value(leader, 'leader.briefing.list', {})).toHaveLength(2);
  });

  it('refuses a non-PDF file, a file name with a path, an oversize file: nothing of the bundle is written', async () => {
    const good = bundle();
    const newId = crypto.randomUUID();
    const fake = {
      ...good.files[1]!,
      id: crypto.randomUUID(),
      dataBase64: Buffer.from('<html>not a pdf</html>').toString('base64'),
    };
    const withFake = { ...good, schedules: [{ ...good.schedules[0]!, id: newId }], files: [fake] };
    expect(await t.call(admin, 'leader.admin.import', withFake)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: { reason: 'file_type_mismatch' } },
    });
    for (const name of ['../../etc/passwd.pdf', '..\\boot.pdf', 'a/b.pdf', '.hidden.pdf', 'run.exe']) {
      const r = await t.call(admin, 'leader.admin.import', { ...good, files: [{ ...good.files[1]!, name }] });
      expect(r, name).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(JSON.stringify(r)).toContain('files.0.name');
    }
    const huge = Buffer.alloc(20 * 1024 * 1024 + 1);
    Buffer.from('%PDF-').copy(huge);
    const tooBig = await t.call(admin, 'leader.admin.import', {
      ...good,
      files: [{ ...good.files[1]!, dataBase64: huge.toString('base64') }],
    });
    expect(tooBig).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    // The sync pull's entry (by central's leader id, no login) validates the same way and says what is wrong.
    const { leader: _login, ...content } = good;
    const pull = (c: unknown) => t.core.leader.importLeaderContent(leaderId, c);
    expect(() => pull({ ...content, files: [fake] })).toThrow(/is not application\/pdf/);
    expect(() => pull({ ...content, files: [{ ...good.files[1]!, name: '../x.pdf' }] })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', details: expect.objectContaining({ reason: 'bad_bundle' }) }),
    );
    expect(() => pull(good)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    const pulledId = crypto.randomUUID();
    const pulled = { schedules: [{ ...good.schedules[2]!, id: pulledId }], briefings: [], files: [], remove: [] };
    expect(pull(pulled)).toEqual({ schedules: 1, briefings: 0, files: 0, removed: 0 });
    expect(pull({ ...pulled, schedules: [], remove: [pulledId] })).toEqual({
      schedules: 0,
      briefings: 0,
      files: 0,
      removed: 1,
    });
    await t.login(leader);
    const ids = (await t.value<{ id: string }[]>(leader, 'leader.schedule.list', week)).map((i) => i.id);
    expect(ids).not.toContain(newId);
    expect(ids).not.toContain(pulledId);
    expect(ids).toContain(IDS.later);
  });

  it('reports a corrupted record clearly, keeps the rest of the list, and audits it', async () => {
    const db = raw();
    const row = db.prepare('SELECT body FROM leader_record WHERE id = ?').get(IDS.briefing) as { body: Buffer };
    row.body[row.body.length - 1]! ^= 0xff;
    db.prepare('UPDATE leader_record SET body = ? WHERE id = ?').run(row.body, IDS.briefing);
    // Swap another record's ciphertext onto a row: AAD ties it to its own id.
    const other = db.prepare('SELECT body FROM leader_record WHERE id = ?').get(IDS.meeting) as { body: Buffer };
    db.prepare('UPDATE leader_record SET body = ? WHERE id = ?').run(other.body, IDS.visit);
    db.close();
    await t.login(leader);
    expect(await t.call(leader, 'leader.briefing.open', { id: IDS.briefing })).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', details: { reason: 'record_unreadable' } },
    });
    expect((await t.value<{ id: string }[]>(leader, 'leader.briefing.list', {})).map((b) => b.id)).toEqual([
      IDS.report,
    ]);
    expect((await t.value<{ id: string }[]>(leader, 'leader.schedule.list', week)).map((b) => b.id)).toEqual([
      IDS.meeting,
      IDS.later,
    ]);
    const unreadable = raw()
      .prepare(`SELECT target_id FROM leader_audit WHERE event = 'record.unreadable' ORDER BY target_id`)
      .all();
    expect(unreadable).toEqual(
      [{ target_id: IDS.visit }, { target_id: IDS.briefing }].sort((a, b) => a.target_id.localeCompare(b.target_id)),
    );
  });

  it('verifies the audit chain and names the first row changed with raw SQL', async () => {
    await t.login(leader);
    await t.value(leader, 'leader.file.view', { id: IDS.png });
    const intact = await t.value<{ ok: boolean; entries: number }>(admin, 'leader.audit.verify', {});
    expect(intact).toEqual({
      ok: true,
      entries: 4,
      firstBrokenSeq: null,
      reason: null,
      keyedFromSeq: 1,
      unkeyedEntries: 0,
    });
    const db = raw();
    db.prepare(`UPDATE leader_audit SET detail = '{"classification":"internal"}' WHERE seq = 4`).run();
    db.close();
    expect(await t.value(admin, 'leader.audit.verify', {})).toMatchObject({ ok: false, firstBrokenSeq: 4 });
    expect(t.core.leader.verifyAudit()).toMatchObject({ ok: false, firstBrokenSeq: 4 });
  });
});
