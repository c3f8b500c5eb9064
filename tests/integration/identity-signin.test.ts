import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviceConfigSchema } from '@shared/config';
import type { Caller } from '../../electron/core/api/caller';
import { createCore } from '../../electron/core/app/create-core';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';
import { ADMIN_LOGIN, DEMO_PASSWORD, DEMO_PIN } from '../fixtures/staff';
import { tempDir } from '../fixtures/temp-dir';
import { decodeArgs } from '../../electron/core/store/outbox-args';

const window = (origin: string): Caller => ({ role: 'counter', transport: 'ipc', origin });
const page = (origin: string): Caller => ({ role: 'admin', transport: 'ipc', origin });

let t: IntakeCore;
beforeEach(async () => {
  // 10:00 in Shanghai; clerk01 at w1 on t.clerk, the administrator on t.admin.
  t = await startIntakeCore();
});
afterEach(() => t.stop());

/** The device's audit rows, oldest first. */
const auditRows = () =>
  t.peek
    .prepare(
      'SELECT seq, action, actor_staff_id, actor_login, origin, target, outcome, detail FROM audit_log ORDER BY seq',
    )
    .all() as {
    seq: number;
    action: string;
    actor_staff_id: string | null;
    actor_login: string | null;
    origin: string;
    target: string | null;
    outcome: string;
    detail: string;
  }[];
const pinSignIn = (caller: Caller, counterId: string, login: string, pin = DEMO_PIN) =>
  t.raw(caller, 'queue.counter.signIn', { counterId, login, pin });

describe('counter sign-in with a PIN', () => {
  it('signs the clerk in on that window only, and audits it (a row that also goes to central)', async () => {
    const w2 = window('window-counter-2');
    const r = await pinSignIn(w2, 'w2', 'clerk02');
    expect(r).toMatchObject({
      ok: true,
      value: { counter: { id: 'w2', status: 'open', clerkId: 'clerk02' }, person: { staffId: 'clerk02', via: 'pin' } },
    });
    expect(await t.call('identity.session', {}, w2)).toMatchObject({
      person: { staffId: 'clerk02', login: 'clerk02', roles: ['clerk'], via: 'pin', counterId: 'w2' },
      idleLockSeconds: null,
    });
    expect((await t.call('identity.session', {}, window('window-counter-3'))).person).toBeNull();
    expect(auditRows().at(-1)).toMatchObject({
      action: 'sign_in',
      actor_staff_id: 'clerk02',
      origin: 'window-counter-2',
      outcome: 'ok',
      detail: '{"via":"pin"}',
    });
    const sent = t.peek
      .prepare("SELECT args FROM outbox WHERE name = 'audit.record' ORDER BY seq DESC LIMIT 1")
      .get() as {
      args: Buffer;
    };
    expect(decodeArgs(sent.args)).toMatchObject({ action: 'sign_in', actorStaffId: 'clerk02' });
  });

  it('refuses a wrong PIN and an unknown login alike (WRONG_CREDENTIALS), counting only real accounts', async () => {
    const w2 = window('window-counter-2');
    expect(await pinSignIn(w2, 'w2', 'clerk02', '654321')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { reason: 'WRONG_CREDENTIALS', attemptsLeft: 4 } },
    });
    expect(await pinSignIn(w2, 'w2', 'nobody', '654321')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { reason: 'WRONG_CREDENTIALS', attemptsLeft: null } },
    });
    expect(
      auditRows()
        .slice(-2)
        .map((r) => [r.action, r.actor_login, r.outcome]),
    ).toEqual([
      ['sign_in_failed', 'clerk02', 'refused'],
      ['sign_in_failed', 'nobody', 'refused'],
    ]);
    expect((await t.call('identity.session', {}, w2)).person).toBeNull();
  });

  it('locks after the fifth failure for 30 s, then doubles (the leader pane’s schedule), on the core’s clock', async () => {
    const w2 = window('window-counter-2');
    for (let i = 0; i < 5; i++) {
      expect(
        await t.refusal('queue.counter.signIn', { counterId: 'w2', login: 'clerk02', pin: '000000' }, w2),
      ).toMatchObject({
        reason: 'WRONG_CREDENTIALS',
      });
    }
    const right = { counterId: 'w2', login: 'clerk02', pin: DEMO_PIN };
    expect((await t.refusal('queue.counter.signIn', right, w2)).error).toMatchObject({
      code: 'FORBIDDEN',
      details: { reason: 'ACCOUNT_LOCKED', retryAfterSeconds: 30 },
    });
    expect(auditRows().some((r) => r.action === 'locked_out' && r.actor_staff_id === 'clerk02')).toBe(true);
    t.advance(30_000);
    // The sixth failure locks for 60 s.
    expect((await t.refusal('queue.counter.signIn', { ...right, pin: '000000' }, w2)).reason).toBe('WRONG_CREDENTIALS');
    expect((await t.refusal('queue.counter.signIn', right, w2)).error.details).toMatchObject({
      reason: 'ACCOUNT_LOCKED',
      retryAfterSeconds: 60,
    });
    t.advance(60_000);
    expect(await t.call('queue.counter.signIn', right, w2)).toMatchObject({ person: { staffId: 'clerk02' } });
    // A success starts the count again.
    expect(t.peek.prepare("SELECT failed_attempts, locked_until FROM staff WHERE id = 'clerk02'").get()).toEqual({
      failed_attempts: 0,
      locked_until: null,
    });
  });

  it('refuses a disabled account, and ends the session of a clerk disabled while signed in', async () => {
    await t.signInCounter('w3', window('window-counter-3'));
    const disable = await t.call(
      'staff.upsert',
      { mutationId: t.m(), id: 'clerk03', login: 'clerk03', name: '张敏', roles: ['clerk'], enabled: false },
      t.admin,
    );
    expect(disable.staff).toMatchObject({ id: 'clerk03', enabled: false });
    expect(t.events.find((e) => e.name === 'queue.counter.ended')?.payload).toMatchObject({
      counterId: 'w3',
      staffId: 'clerk03',
      reason: 'account_disabled',
    });
    expect(await t.raw(window('window-counter-3'), 'queue.counter.view', { counterId: 'w3' })).toMatchObject({
      ok: false,
      error: { code: 'SIGN_IN_REQUIRED', details: { reason: 'SIGN_IN_REQUIRED', ended: 'account_disabled' } },
    });
    expect(await pinSignIn(window('window-counter-4'), 'w4', 'clerk03')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { reason: 'ACCOUNT_DISABLED' } },
    });
  });
});

describe('lockout across a restart', () => {
  it('is kept on disk: a restarted core still refuses the locked account until the lock ends', async () => {
    const tmp = tempDir('ow-lockout-');
    const nowMs = Date.parse('2026-03-02T02:00:00.000Z');
    const config = deviceConfigSchema.parse({
      hall: { code: 'HALL01', name: '示范大厅' },
      deviceCode: 'C01',
      roles: ['counter'],
      demo: true,
    });
    const open = (ms: number) =>
      createCore({ dataDir: tmp.dir, config, appVersion: 'test', now: () => new Date(ms), sync: { autoStart: false } });
    const w1 = window('window-counter-1');
    const signIn = (pin: string) => ({ counterId: 'w1', login: 'clerk01', pin });
    try {
      const first = await open(nowMs);
      for (let i = 0; i < 5; i++) await first.dispatch(w1, 'queue.counter.signIn', signIn('000000'));
      first.close();

      const second = await open(nowMs + 10_000);
      expect(await second.dispatch(w1, 'queue.counter.signIn', signIn(DEMO_PIN))).toMatchObject({
        ok: false,
        error: { details: { reason: 'ACCOUNT_LOCKED', retryAfterSeconds: 20 } },
      });
      second.close();

      const third = await open(nowMs + 30_000);
      expect(await third.dispatch(w1, 'queue.counter.signIn', signIn(DEMO_PIN))).toMatchObject({
        ok: true,
        value: { person: { staffId: 'clerk01' } },
      });
      third.close();
    } finally {
      tmp.remove();
    }
  });
});

describe('admin page sign-in with password and TOTP', () => {
  it('signs the administrator in with an idle lock; a wrong password, a clerk and a reused code are refused', async () => {
    const p2 = page('admin-2');
    const session = await t.signInAdmin(p2);
    expect(session).toMatchObject({
      person: { staffId: 'admin01', login: ADMIN_LOGIN, roles: ['hall_admin'], via: 'password', counterId: null },
      idleLockSeconds: 300,
    });
    const code = t.nextTotp(ADMIN_LOGIN);
    const p3 = page('admin-3');
    expect(
      await t.refusal('identity.signIn', { login: ADMIN_LOGIN, password: 'wrong-password-1', totp: code }, p3),
    ).toMatchObject({ code: 'FORBIDDEN', reason: 'WRONG_CREDENTIALS' });
    // A clerk has no password: the admin page is not theirs.
    expect(
      await t.refusal('identity.signIn', { login: 'clerk01', password: DEMO_PASSWORD, totp: code }, p3),
    ).toMatchObject({ reason: 'WRONG_CREDENTIALS' });
    expect(
      await t.call('identity.signIn', { login: ADMIN_LOGIN, password: DEMO_PASSWORD, totp: code }, p3),
    ).toMatchObject({
      person: { staffId: 'admin01' },
    });
    // The same code again, on another page (read over a shoulder): refused like a wrong one.
    expect(
      await t.refusal('identity.signIn', { login: ADMIN_LOGIN, password: DEMO_PASSWORD, totp: code }, page('admin-4')),
    ).toMatchObject({ code: 'FORBIDDEN', reason: 'WRONG_CREDENTIALS' });
    expect((await t.call('identity.session', {}, page('admin-4'))).person).toBeNull();
  });

  it('locks the page after admin.idleLockSeconds without a call: SIGN_IN_REQUIRED, ended idle, audited', async () => {
    t.advance(299_000);
    expect(await t.call('staff.list', {}, t.admin)).toHaveLength(5);
    t.advance(299_000); // each call starts the idle time again
    expect((await t.raw(t.admin, 'staff.list', {})).ok).toBe(true);
    t.advance(300_000);
    expect(await t.raw(t.admin, 'staff.list', {})).toMatchObject({
      ok: false,
      error: { code: 'SIGN_IN_REQUIRED', details: { reason: 'SIGN_IN_REQUIRED', ended: 'idle' } },
    });
    expect(auditRows().at(-1)).toMatchObject({
      action: 'session_ended',
      actor_staff_id: 'admin01',
      origin: 'admin-1',
      detail: '{"why":"idle"}',
    });
    // The counter does not idle out: a clerk serves for hours and signs out at the counter.
    expect((await t.raw(t.clerk, 'queue.counter.view', { counterId: 'w1' })).ok).toBe(true);
    // Signed out by hand: the page says so.
    await t.signInAdmin();
    await t.call('identity.signOut', {}, t.admin);
    expect(await t.raw(t.admin, 'staff.list', {})).toMatchObject({
      error: { code: 'SIGN_IN_REQUIRED', details: { ended: 'signed_out' } },
    });
  });
});

describe('one clerk, one window', () => {
  it('signing in at w2 ends the clerk’s w1: its window hears why on its next call, and the event says where', async () => {
    const elsewhere = window('window-counter-2');
    await t.signInCounter('w2', elsewhere, 'clerk01');
    expect(t.events.filter((e) => e.name === 'queue.counter.ended').map((e) => e.payload)).toEqual([
      { counterId: 'w1', staffId: 'clerk01', reason: 'signed_in_elsewhere', elsewhereCounterNumber: 2 },
    ]);
    expect(await t.raw(t.clerk, 'queue.counter.view', { counterId: 'w1' })).toMatchObject({
      ok: false,
      error: { code: 'SIGN_IN_REQUIRED', details: { reason: 'SIGN_IN_REQUIRED', ended: 'signed_in_elsewhere' } },
    });
    const counters = await t.call('queue.counters', {}, elsewhere);
    expect(counters.filter((c) => c.clerkId === 'clerk01').map((c) => [c.id, c.status])).toEqual([['w2', 'open']]);
    expect(counters.find((c) => c.id === 'w1')?.status).toBe('closed');
    // The new window works.
    expect((await t.raw(elsewhere, 'queue.counter.view', { counterId: 'w2' })).ok).toBe(true);
  });

  it('another clerk signing in at w1 from another window ends the first clerk there, and that window hears why', async () => {
    const other = window('window-counter-3');
    await t.signInCounter('w1', other, 'clerk02');
    expect(t.events.filter((e) => e.name === 'queue.counter.ended').map((e) => e.payload)).toEqual([
      { counterId: 'w1', staffId: 'clerk01', reason: 'taken_over', elsewhereCounterNumber: null },
    ]);
    expect(await t.raw(t.clerk, 'case.list', {})).toMatchObject({
      ok: false,
      error: { code: 'SIGN_IN_REQUIRED', details: { ended: 'taken_over' } },
    });
    expect((await t.raw(other, 'queue.counter.view', { counterId: 'w1' })).ok).toBe(true);
  });
});
