import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodInput } from '@shared/api';
import type { Caller } from '../../electron/core/api/caller';
import { residentId, startIntakeCore, type IntakeCore } from '../fixtures/intake-core';
import { DEMO_PIN } from '../fixtures/staff';
import { decodeArgs } from '../../electron/core/store/outbox-args';
import { OUTBOX_ROWS } from '../fixtures/outbox-rows';

let t: IntakeCore;
beforeEach(async () => {
  // clerk01 at w1 on t.clerk, the hall administrator (admin01) on t.admin.
  t = await startIntakeCore();
});
afterEach(() => t.stop());

const outboxRows = (name: string) =>
  (
    t.peek
      .prepare(
        `SELECT name, version, args, entity_id, actor_staff_id FROM (${OUTBOX_ROWS}) WHERE name = ? ORDER BY seq`,
      )
      .all(name) as { name: string; version: number; args: Buffer; entity_id: string; actor_staff_id: string | null }[]
  ).map((r) => ({ ...r, args: decodeArgs(r.args) as Record<string, unknown> }));
const audit = () =>
  t.peek
    .prepare(
      'SELECT seq, action, actor_staff_id, origin, target, outcome, detail, prev_hash, hash FROM audit_log ORDER BY seq',
    )
    .all() as {
    seq: number;
    action: string;
    actor_staff_id: string | null;
    origin: string;
    target: string | null;
    outcome: string;
    detail: string;
    prev_hash: string;
    hash: string;
  }[];
const newClerk = (fields: Record<string, unknown> = {}) =>
  ({
    mutationId: t.m(),
    login: 'clerk09',
    name: '新来的',
    roles: ['clerk'],
    enabled: true,
    pin: '135790',
    ...fields,
  }) as MethodInput<'staff.upsert'>;

describe('staff accounts made in the hall', () => {
  it('a hall administrator creates a clerk who can sign in; the change goes to central with who made it, and is audited', async () => {
    const { staff, totp } = await t.call('staff.upsert', newClerk(), t.admin);
    expect(staff).toMatchObject({
      login: 'clerk09',
      roles: ['clerk'],
      enabled: true,
      hasPin: true,
      hasPassword: false,
      source: 'hall',
    });
    expect(totp).toBeNull();
    expect(JSON.stringify(staff)).not.toContain('135790');

    const [sent] = outboxRows('staff.upsert');
    expect(sent).toMatchObject({ version: 1, entity_id: staff.id, actor_staff_id: 'admin01' });
    expect(sent!.args).toMatchObject({ staffId: staff.id, login: 'clerk09', roles: ['clerk'], enabled: true });
    // The PIN travels as its hash only.
    expect(String(sent!.args.pinHash)).toMatch(/^scrypt\$/);
    expect(JSON.stringify(sent!.args)).not.toContain('135790');

    expect(audit().at(-1)).toMatchObject({
      action: 'staff_changed',
      actor_staff_id: 'admin01',
      origin: 'admin-1',
      target: staff.id,
      outcome: 'ok',
    });
    expect(JSON.parse(audit().at(-1)!.detail)).toMatchObject({ login: 'clerk09', created: true });

    const w5: Caller = { role: 'counter', transport: 'ipc', origin: 'window-counter-5' };
    expect(
      await t.call('queue.counter.signIn', { counterId: 'w5', login: 'clerk09', pin: '135790' }, w5),
    ).toMatchObject({
      person: { staffId: staff.id, login: 'clerk09', name: '新来的', via: 'pin' },
    });
    expect((await t.call('staff.list', {}, t.admin)).map((s) => s.login)).toContain('clerk09');
  });

  it('a supervisor gets a password and a TOTP secret shown once; a PIN reset is audited', async () => {
    const created = await t.call(
      'staff.upsert',
      newClerk({ login: 'super09', roles: ['clerk', 'supervisor'], password: 'night-shift-2026' }),
      t.admin,
    );
    expect(created.totp?.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(created.staff).toMatchObject({ hasPassword: true, hasTotp: true });
    await t.call(
      'staff.upsert',
      newClerk({ id: created.staff.id, login: 'super09', roles: ['clerk', 'supervisor'], pin: '246802' }),
      t.admin,
    );
    expect(audit().at(-1)).toMatchObject({ action: 'pin_reset', actor_staff_id: 'admin01', target: created.staff.id });
  });

  it('cannot grant hall_admin or leader (the contract refuses it), nor change an account central appointed', async () => {
    for (const roles of [['hall_admin'], ['leader'], ['clerk', 'hall_admin']]) {
      expect((await t.refusal('staff.upsert', newClerk({ roles }), t.admin)).code).toBe('INVALID_INPUT');
    }
    // admin01 is a hall administrator: appointed at central, not the hall's to change (not even by itself).
    expect(
      await t.refusal(
        'staff.upsert',
        newClerk({ id: 'admin01', login: 'admin', name: '陈静', roles: ['clerk'], pin: undefined }),
        t.admin,
      ),
    ).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_HALL_ACCOUNT' });
    expect(await t.refusal('staff.upsert', newClerk({ login: 'clerk01' }), t.admin)).toMatchObject({
      code: 'CONFLICT',
      reason: 'LOGIN_TAKEN',
    });
    expect(outboxRows('staff.upsert')).toEqual([]);
    // A supervisor signs in on the admin page too, but accounts are the hall administrator's.
    const sup: Caller = { role: 'admin', transport: 'ipc', origin: 'admin-sup' };
    await t.signInAdmin(sup, 'super01');
    expect(await t.refusal('staff.upsert', newClerk(), sup)).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'STAFF_ROLE_REQUIRED',
    });
  });
});

describe('who is acting, on every write', () => {
  it('names the clerk on every outbox row of an intake, the administrator on an account, nobody for the rating screen', async () => {
    await t.intake();
    const rows = t.peek
      .prepare(
        "SELECT name, actor_staff_id FROM outbox WHERE name IN ('applicant.upsert', 'visit.record', 'case.create')",
      )
      .all() as { name: string; actor_staff_id: string | null }[];
    expect(rows.map((r) => r.name).sort()).toEqual(['applicant.upsert', 'case.create', 'visit.record']);
    expect(rows.every((r) => r.actor_staff_id === 'clerk01')).toBe(true);

    // The same write from another clerk's window names that clerk.
    const w2: Caller = { role: 'counter', transport: 'ipc', origin: 'window-counter-2' };
    await t.signInCounter('w2', w2);
    await t.call(
      'applicant.register',
      {
        mutationId: t.m(),
        applicant: {
          kind: 'person',
          name: '李四',
          idType: 'resident_id',
          idNumber: residentId('11010519491231003'),
          phone: '13800138001',
        },
      },
      w2,
    );
    expect(outboxRows('applicant.upsert').at(-1)?.actor_staff_id).toBe('clerk02');

    await t.call('staff.upsert', newClerk(), t.admin);
    expect(outboxRows('staff.upsert').map((r) => r.actor_staff_id)).toEqual(['admin01']);
    // Audit rows go out under the person they are about or who made them.
    expect(outboxRows('audit.record').at(-1)?.actor_staff_id).toBe('admin01');

    // The citizen rates on the paired screen: a device acting alone, no person.
    await t.pairScreen();
    const ticket = await t.calledTicket();
    await t.call('queue.start', { mutationId: t.m(), counterId: 'w1', ticketId: ticket.id });
    await t.call('queue.finish', { mutationId: t.m(), counterId: 'w1', ticketId: ticket.id });
    await t.call('rating.request', { mutationId: t.m(), counterId: 'w1', ticketId: ticket.id, caseIds: [] });
    await t.rate(5);
    expect(outboxRows('rating.submit').map((r) => r.actor_staff_id)).toEqual([null]);
    expect(outboxRows('visit.record').at(-1)?.actor_staff_id).toBe('clerk01');
  });

  it('audits each hall setup write with who, what and the outcome, refused ones too, secrets redacted', async () => {
    const profile = await t.call('hall.profile.get', {}, t.admin);
    await t.call(
      'hall.profile.update',
      {
        name: '新名称',
        address: profile.address,
        enquiryPhone: profile.enquiryPhone,
        trackingUrl: profile.trackingUrl,
      },
      t.admin,
    );
    expect(audit().at(-1)).toMatchObject({
      action: 'admin_write',
      actor_staff_id: 'admin01',
      origin: 'admin-1',
      target: 'hall.profile.update',
      outcome: 'ok',
    });
    // A counter number that is taken: refused by the queue, and audited as refused.
    const refused = await t.raw(t.admin, 'queue.admin.counters.upsert', {
      id: 'w99',
      number: 1,
      name: '重号',
      queueIds: ['general'],
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(audit().at(-1)).toMatchObject({
      action: 'admin_write',
      target: 'queue.admin.counters.upsert',
      outcome: 'refused',
    });
    expect(JSON.parse(audit().at(-1)!.detail)).toMatchObject({ error: 'CONFLICT' });
    // Secrets never reach the log (an enrolment code here).
    await t.raw(t.admin, 'sync.enroll', { centralUrl: 'http://127.0.0.1:9', code: 'ABCD-EFGH-JKLM' });
    expect(audit().at(-1)?.target).toBe('sync.enroll');
    expect(audit().at(-1)?.detail).not.toContain('ABCD-EFGH-JKLM');
  });
});

describe('the device audit log', () => {
  it('chains every row to the one before; audit.verify and audit.list answer the hall administrator', async () => {
    await t.call('staff.upsert', newClerk(), t.admin);
    const rows = audit();
    expect(rows.map((r) => r.action)).toEqual(['sign_in', 'sign_in', 'staff_changed']);
    expect(rows[0]!.prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.seq).toBe(rows[i - 1]!.seq + 1);
      expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    }
    expect(await t.call('audit.verify', {}, t.admin)).toEqual({
      ok: true,
      rows: rows.length,
      brokenAtSeq: null,
      keyedFromSeq: 1,
      unkeyedRows: 0,
      reason: null,
    });
    const listed = await t.call('audit.list', { limit: 2 }, t.admin);
    expect(listed.map((e) => e.seq)).toEqual([rows.length, rows.length - 1]);
    expect(listed[0]).not.toHaveProperty('hash');
    // A clerk cannot read it.
    expect((await t.refusal('audit.list', {}, t.clerk)).reason).toBe('WRONG_ROLE');
  });

  it('is append-only in SQLite itself: UPDATE and DELETE are refused', () => {
    const db = new Sqlite(t.dbFile);
    try {
      expect(() => db.prepare("UPDATE audit_log SET outcome = 'refused' WHERE seq = 1").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it('names the first row changed behind SQLite’s back (triggers dropped, one field rewritten)', async () => {
    await t.call('staff.upsert', newClerk(), t.admin);
    const db = new Sqlite(t.dbFile);
    try {
      db.exec('DROP TRIGGER audit_log_no_update');
      // Who signed in first, rewritten to someone else: the stored hash no longer matches.
      db.prepare("UPDATE audit_log SET actor_staff_id = 'clerk02', actor_login = 'clerk02' WHERE seq = 1").run();
    } finally {
      db.close();
    }
    expect(await t.call('audit.verify', {}, t.admin)).toMatchObject({ ok: false, brokenAtSeq: 1 });
  });

  it('names a row whose detail was changed in the middle of the chain', async () => {
    await t.call('staff.upsert', newClerk(), t.admin);
    const last = audit().at(-1)!;
    const db = new Sqlite(t.dbFile);
    try {
      db.exec('DROP TRIGGER audit_log_no_update');
      db.prepare("UPDATE audit_log SET detail = json_set(detail, '$.login', 'someone') WHERE seq = ?").run(last.seq);
    } finally {
      db.close();
    }
    // The row itself breaks, whatever was appended before the check.
    expect(await t.call('audit.verify', {}, t.admin)).toMatchObject({ ok: false, brokenAtSeq: last.seq });
  });
});

describe('a clerk’s PIN', () => {
  it('signs in only with the PIN set; a new clerk with no PIN cannot sign in at a counter', async () => {
    const { staff } = await t.call('staff.upsert', newClerk({ login: 'nopin', pin: undefined }), t.admin);
    expect(staff.hasPin).toBe(false);
    const w4: Caller = { role: 'counter', transport: 'ipc', origin: 'window-counter-4' };
    expect(
      await t.refusal('queue.counter.signIn', { counterId: 'w4', login: 'nopin', pin: DEMO_PIN }, w4),
    ).toMatchObject({
      reason: 'WRONG_CREDENTIALS',
    });
  });
});
