import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffStore } from '../../central/src/identity/staff-store';
import { TEST_PASSWORD, signInAt, staffSession, totpCode, type Session } from '../fixtures/central-identity';
import { centralAdmin, startCentral, type TestCentral } from '../fixtures/central-server';

type Refusal = { error: string; code: string };

describe('admin API sessions, roles and the audit trail', () => {
  let central: TestCentral;
  let hallA: string;
  let hallB: string;
  let adminA: Session;

  const call = async <T = unknown>(token: string, method: string, path: string, body?: unknown) =>
    centralAdmin(central.url, token).request<T>(method, path, body);

  beforeAll(async () => {
    central = await startCentral();
    hallA = (await central.admin.createHall('SESA')).id;
    hallB = (await central.admin.createHall('SESB')).id;
    adminA = await staffSession(central.url, central.adminSession.token, {
      login: 'admin.a',
      roles: ['hall_admin'],
      hallIds: [hallA],
    });
  });
  afterAll(() => central.stop());

  it('refuses the old shared token and no token with typed 401s', async () => {
    for (const token of ['test-admin-token-0123456789-abcdefgh', '']) {
      const r = await central.admin.request<Refusal>('GET', '/admin/v1/halls', undefined, token);
      expect(r.status).toBe(401);
      expect(r.json.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses a wrong password, a missing or wrong or replayed code, and locks after five failures', async () => {
    const p = await staffSession(central.url, central.adminSession.token, {
      login: 'locky',
      roles: ['hall_admin'],
      hallIds: [hallB],
    });
    // A code this test spends itself: the replay below must be this very code, not whatever the clock gives
    // then (on a slow run the next 30 s step's code is a new one, rightly taken).
    const spent = totpCode(p.totpSecret, 1);
    const first = await central.admin.request('POST', '/admin/v1/session', {
      login: 'locky',
      password: TEST_PASSWORD,
      totp: spent,
    });
    expect(first.status).toBe(200);
    const wrong = await central.admin.request<Refusal>('POST', '/admin/v1/session', {
      login: 'locky',
      password: 'wrong-password-1',
      totp: totpCode(p.totpSecret, 1),
    });
    expect([wrong.status, wrong.json.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    const noCode = await central.admin.request<Refusal>('POST', '/admin/v1/session', {
      login: 'locky',
      password: TEST_PASSWORD,
    });
    expect([noCode.status, noCode.json.code]).toEqual([401, 'TOTP_REQUIRED']);
    // A code used once, never again.
    const replay = await central.admin.request<Refusal>('POST', '/admin/v1/session', {
      login: 'locky',
      password: TEST_PASSWORD,
      totp: spent,
    });
    expect([replay.status, replay.json.code]).toEqual([401, 'TOTP_INVALID']);
    const unknown = await signInAt(central.url, 'nobody', TEST_PASSWORD, p.totpSecret);
    expect([unknown.status, unknown.json.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    for (let i = 0; i < 2; i++) {
      await central.admin.request('POST', '/admin/v1/session', { login: 'locky', password: 'wrong-password-1' });
    }
    const locked = await signInAt(central.url, 'locky', TEST_PASSWORD, p.totpSecret, 1);
    expect(locked.status).toBe(403);
    expect(locked.json).toMatchObject({ code: 'ACCOUNT_LOCKED', retryAfterSeconds: expect.any(Number) });
    const audit = await central.admin.request<{ action: string; login: string }[]>(
      'GET',
      '/admin/v1/audit?actor=locky&limit=50',
    );
    expect(audit.json.filter((a) => a.action === 'sign_in_failed')).toHaveLength(6);
    expect(audit.json.filter((a) => a.action === 'locked_out')).toHaveLength(1);
  });

  it('refuses a disabled person, ends their sessions, and expires idle and old sessions', async () => {
    const p = await staffSession(central.url, central.adminSession.token, {
      login: 'leaver',
      roles: ['hall_admin'],
      hallIds: [hallA],
    });
    expect((await call(p.token, 'GET', '/admin/v1/halls')).status).toBe(200);
    expect((await central.admin.request('POST', `/admin/v1/staff/${p.staffId}/disable`)).status).toBe(200);
    const ended = await call<Refusal>(p.token, 'GET', '/admin/v1/halls');
    expect([ended.status, ended.json.code]).toEqual([401, 'SESSION_ENDED']);
    const again = await signInAt(central.url, 'leaver', TEST_PASSWORD, p.totpSecret, 1);
    expect([again.status, again.json.code]).toEqual([403, 'ACCOUNT_DISABLED']);

    const idle = await staffSession(central.url, central.adminSession.token, {
      login: 'sleepy',
      roles: ['hall_admin'],
      hallIds: [hallA],
    });
    await staffStore.ageSession(central.pool, idle.token, 31 * 60);
    const expired = await call<Refusal>(idle.token, 'GET', '/admin/v1/halls');
    expect([expired.status, expired.json.code]).toEqual([401, 'SESSION_EXPIRED']);

    const out = await signInAt(central.url, 'sleepy', TEST_PASSWORD, idle.totpSecret, 1);
    expect((await call(out.json.token, 'DELETE', '/admin/v1/session')).status).toBe(200);
    expect((await call<Refusal>(out.json.token, 'GET', '/admin/v1/halls')).json.code).toBe('SESSION_ENDED');
  });

  it('gives roles without an admin console a 403', async () => {
    const clerk = await staffSession(central.url, central.adminSession.token, {
      login: 'supervisor.a',
      roles: ['supervisor'],
      hallIds: [hallA],
    });
    const r = await call<Refusal>(clerk.token, 'GET', '/admin/v1/halls');
    expect([r.status, r.json.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('keeps a hall administrator to their own hall', async () => {
    const halls = await call<{ id: string }[]>(adminA.token, 'GET', '/admin/v1/halls');
    expect(halls.json.map((h) => h.id)).toEqual([hallA]);
    for (const [method, path, body] of [
      ['GET', `/admin/v1/halls/${hallB}/devices`],
      ['GET', `/admin/v1/halls/${hallB}/mutations`],
      ['GET', `/admin/v1/halls/${hallB}/bad-ratings`],
      ['GET', `/admin/v1/staff?hallId=${hallB}`],
      ['GET', `/admin/v1/audit?hallId=${hallB}`],
      ['POST', `/admin/v1/halls/${hallB}/enrollment-codes`, { role: 'counter' }],
      ['PUT', `/admin/v1/halls/${hallB}/clerks/k1`, { name: '乙', pin: '123456' }],
      ['POST', '/admin/v1/halls', { code: 'NEWH', name: '新' }],
      ['POST', '/admin/v1/staff', { login: 'x.b', name: 'x', roles: ['clerk'], hallIds: [hallB] }],
      ['POST', '/admin/v1/staff', { login: 'x.a', name: 'x', roles: ['hall_admin'], hallIds: [hallA] }],
      [
        'PUT',
        '/admin/v1/ref/holiday/2026-10-01',
        { hallId: null, data: { date: '2026-10-01', workday: false, name: '国庆' } },
      ],
    ] as const) {
      const r = await call<Refusal>(adminA.token, method, path, body);
      expect([path, r.status, r.json?.code]).toEqual([path, 403, 'FORBIDDEN']);
    }
    expect(
      (await call(adminA.token, 'POST', `/admin/v1/halls/${hallA}/enrollment-codes`, { role: 'counter' })).status,
    ).toBe(201);
    const clerk = await call<{ id: string; roles: string[] }>(adminA.token, 'POST', '/admin/v1/staff', {
      login: 'clerk.mine',
      name: '丁',
      roles: ['clerk'],
      hallIds: [hallA],
      pin: '112233',
    });
    expect(clerk.status).toBe(201);
    const staff = await call<{ hallIds: string[] }[]>(adminA.token, 'GET', '/admin/v1/staff');
    expect(staff.json.every((s) => s.hallIds.includes(hallA))).toBe(true);
    // Nobody raises a clerk above what a hall may grant, nor moves them to another hall.
    for (const body of [{ roles: ['hall_admin'] }, { hallIds: [hallB] }]) {
      expect((await call(adminA.token, 'PATCH', `/admin/v1/staff/${clerk.json.id}`, body)).status).toBe(403);
    }
    const audit = await call<{ hallId: string | null }[]>(adminA.token, 'GET', '/admin/v1/audit');
    expect(audit.json.length).toBeGreaterThan(0);
    expect(audit.json.every((a) => a.hallId === hallA)).toBe(true);
  });

  it('writes each admin change with its actor and without credentials, and never changes a row', async () => {
    const made = await central.admin.request<{ id: string }>('POST', '/admin/v1/staff', {
      login: 'audited',
      name: '戊',
      roles: ['clerk'],
      hallIds: [hallA],
      pin: '445566',
    });
    await central.admin.request('POST', `/admin/v1/staff/${made.json.id}/pin`, { pin: '778899' });
    const pw = await central.admin.request<{ totpSecret: string; otpauthUri: string }>(
      'POST',
      `/admin/v1/staff/${made.json.id}/password`,
      { password: 'another-pass-77' },
    );
    expect(pw.json.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    const { rows } = await central.pool.query<{ action: string; staff_id: string; before: unknown; after: unknown }>(
      `SELECT action, staff_id, before, after FROM admin_audit WHERE entity = $1 ORDER BY id`,
      [`staff:${made.json.id}`],
    );
    expect(rows.map((r) => r.action)).toEqual(['staff_created', 'pin_reset', 'password_reset']);
    expect(rows.every((r) => r.staff_id === central.adminSession.staffId)).toBe(true);
    const text = JSON.stringify(rows);
    expect(text).not.toContain('scrypt$');
    expect(text).not.toContain(pw.json.totpSecret);
    expect(text).not.toContain('778899');
    await expect(central.pool.query(`UPDATE admin_audit SET login = 'x'`)).rejects.toThrow(/append-only/);
    await expect(central.pool.query('DELETE FROM admin_audit')).rejects.toThrow(/append-only/);
    await expect(central.pool.query('TRUNCATE admin_audit')).rejects.toThrow(/append-only/);
  });
});
