import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminHall, AdminStaff, TotpEnrolment } from '@shared/console/administration';
import type { ConsoleError } from '@shared/console/session';
import type { RefRow } from '@shared/sync/wire';
import { consoleClient, hallDevice, type ConsoleClient, type HallDevice } from '../fixtures/central-console';
import { consoleSession, consoleSignIn, TEST_PASSWORD } from '../fixtures/central-identity';
import { startCentral, type TestCentral } from '../fixtures/central-server';

/**
 * Staff accounts at the console, on the admin API's rules (identity/staff-admin.ts): list with filters,
 * create, edit, disable and enable, reset PIN, password and authenticator; each write audited and sent to
 * the person's halls. A hall administrator manages the clerks and supervisors of their own hall only.
 */
describe('console administration: staff accounts', () => {
  let central: TestCentral;
  let admin: ConsoleClient;
  let hallA: AdminHall;
  let hallB: AdminHall;
  let hub: HallDevice;

  const audit = async (staffId: string) =>
    (
      await central.pool.query<{ action: string }>('SELECT action FROM admin_audit WHERE entity = $1 ORDER BY id', [
        `staff:${staffId}`,
      ])
    ).rows.map((r) => r.action);
  const staffRows = async (): Promise<RefRow[]> => hub.pull(['staff']);

  beforeAll(async () => {
    central = await startCentral();
    admin = consoleClient(central.url, central.adminSession.token);
    hallA = (await admin<AdminHall>('POST', '/admin/halls', { code: 'STA', name: '甲大厅', timeZone: 'Asia/Shanghai' }))
      .json;
    hallB = (await admin<AdminHall>('POST', '/admin/halls', { code: 'STB', name: '乙大厅', timeZone: 'Asia/Shanghai' }))
      .json;
    hub = await hallDevice(central, hallA.id, 'hub');
    await staffRows();
  });
  afterAll(async () => {
    await central.stop();
  });

  it('creates, edits, disables and enables a person, each audited and sent to the hall’s devices', async () => {
    const created = await admin<AdminStaff>('POST', '/admin/staff', {
      login: 'clerk.a',
      name: '甲窗口',
      roles: ['clerk'],
      hallIds: [hallA.id],
      pin: '135790',
    });
    expect(created).toMatchObject({ status: 201, json: { login: 'clerk.a', hasPin: true, enabled: true } });
    const id = created.json.id;
    expect((await staffRows()).map((r) => r.id)).toEqual([id]);

    const edited = await admin<AdminStaff>('POST', `/admin/staff/${id}`, {
      name: '甲窗口（值班长）',
      roles: ['clerk', 'supervisor'],
      hallIds: [hallA.id],
    });
    expect(edited.json).toMatchObject({ name: '甲窗口（值班长）', roles: ['clerk', 'supervisor'] });
    expect((await admin<AdminStaff>('POST', `/admin/staff/${id}/disable`)).json.enabled).toBe(false);
    const [disabledRow] = await staffRows();
    expect(disabledRow).toMatchObject({ id, data: { enabled: false, roles: ['clerk', 'supervisor'] } });
    expect((await admin<AdminStaff>('POST', `/admin/staff/${id}/enable`)).json.enabled).toBe(true);
    expect(await audit(id)).toEqual(['staff_created', 'role_changed', 'staff_changed', 'staff_changed']);

    // Bad input: each field with its own message; a login taken; departments only for a handler.
    const bad = await admin<ConsoleError>('POST', '/admin/staff', {
      login: 'X',
      name: '',
      roles: ['clerk'],
      hallIds: [],
      pin: '12',
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.fields ?? {}).sort()).toEqual(['hallIds', 'login', 'name', 'pin']);
    const taken = await admin<ConsoleError>('POST', '/admin/staff', {
      login: 'clerk.a',
      name: '重名',
      roles: ['clerk'],
      hallIds: [hallA.id],
    });
    expect(taken).toMatchObject({ status: 409, json: { code: 'LOGIN_TAKEN' } });
    const unknownDepartment = await admin<ConsoleError>('POST', '/admin/staff', {
      login: 'handler.x',
      name: '经办',
      roles: ['department_handler'],
      hallIds: [],
      departmentIds: ['nowhere'],
    });
    expect(unknownDepartment.json.fields).toHaveProperty('departmentIds');
  });

  it('lists people by hall, role and enabled', async () => {
    await admin('POST', '/admin/staff', { login: 'sup.b', name: '乙督查', roles: ['supervisor'], hallIds: [hallB.id] });
    await admin('POST', '/admin/staff', {
      login: 'clerk.b',
      name: '乙窗口',
      roles: ['clerk'],
      hallIds: [hallB.id],
      enabled: false,
    });
    const logins = async (q: string) =>
      (await admin<AdminStaff[]>('GET', `/admin/staff${q}`)).json.map((s) => s.login).sort();
    expect(await logins(`?hallId=${hallB.id}`)).toEqual(['clerk.b', 'sup.b']);
    expect(await logins(`?hallId=${hallB.id}&role=clerk`)).toEqual(['clerk.b']);
    expect(await logins(`?hallId=${hallB.id}&enabled=true`)).toEqual(['sup.b']);
    expect(await logins('?role=central_admin')).toEqual(['admin']);
    expect((await admin('GET', '/admin/staff?role=mayor')).status).toBe(400);
  });

  it('resets a PIN, a password (with a new authenticator) and the authenticator alone, each shown once', async () => {
    const person = await admin<AdminStaff>('POST', '/admin/staff', {
      login: 'sup.a',
      name: '甲督查',
      roles: ['supervisor'],
      hallIds: [hallA.id],
    });
    const id = person.json.id;
    expect((await admin<AdminStaff>('POST', `/admin/staff/${id}/pin`, { pin: '246810' })).json.hasPin).toBe(true);
    expect((await admin<ConsoleError>('POST', `/admin/staff/${id}/pin`, { pin: '12ab' })).json.fields).toHaveProperty(
      'pin',
    );
    // No password yet: the authenticator goes with one.
    expect((await admin<ConsoleError>('POST', `/admin/staff/${id}/totp`)).json.code).toBe('NO_PASSWORD');
    const weak = await admin<ConsoleError>('POST', `/admin/staff/${id}/password`, { password: 'short' });
    expect(weak.json.fields).toHaveProperty('password');

    const first = await admin<TotpEnrolment>('POST', `/admin/staff/${id}/password`, { password: TEST_PASSWORD });
    expect(first.json.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(first.json.otpauthUri).toContain(`secret=${first.json.totpSecret}`);
    const session = await consoleSignIn(central.url, 'sup.a', TEST_PASSWORD, first.json.totpSecret);
    expect(session.status).toBe(200);

    const second = await admin<TotpEnrolment>('POST', `/admin/staff/${id}/totp`);
    expect(second.json.totpSecret).not.toBe(first.json.totpSecret);
    // The old authenticator's sessions end with it; the old one no longer signs in, the new one does.
    const someone = consoleClient(central.url, session.json.token);
    expect((await someone('GET', '/session')).status).toBe(401);
    expect((await consoleSignIn(central.url, 'sup.a', TEST_PASSWORD, first.json.totpSecret, 1)).status).toBe(401);
    expect((await consoleSignIn(central.url, 'sup.a', TEST_PASSWORD, second.json.totpSecret, 1)).status).toBe(200);
    const writes = (await audit(id)).filter((a) => !a.startsWith('sign_in'));
    expect(writes).toEqual(['staff_created', 'pin_reset', 'password_reset', 'totp_reset']);
    const trail = await central.pool.query('SELECT before, after FROM admin_audit WHERE entity = $1', [`staff:${id}`]);
    expect(JSON.stringify(trail.rows)).not.toContain(second.json.totpSecret);
  });

  it('refuses a hall administrator another hall’s people and any role above clerk and supervisor', async () => {
    const ha = consoleClient(
      central.url,
      (
        await consoleSession(central.url, central.adminSession.token, {
          login: 'ha.a',
          roles: ['hall_admin'],
          hallIds: [hallA.id],
        })
      ).token,
    );
    const clerk = await ha<AdminStaff>('POST', '/admin/staff', {
      login: 'clerk.a2',
      name: '甲二',
      roles: ['clerk'],
      hallIds: [hallA.id],
    });
    expect(clerk.status).toBe(201);
    expect((await ha<AdminStaff[]>('GET', '/admin/staff')).json.every((s) => s.hallIds.includes(hallA.id))).toBe(true);
    expect((await ha('GET', `/admin/staff?hallId=${hallB.id}`)).status).toBe(403);
    const supB = (await admin<AdminStaff[]>('GET', `/admin/staff?hallId=${hallB.id}&role=supervisor`)).json[0]!;
    for (const [path, body] of [
      [`/admin/staff/${supB.id}`, { name: '改名' }],
      [`/admin/staff/${supB.id}/disable`, undefined],
      [`/admin/staff/${supB.id}/pin`, { pin: '111222' }],
      [`/admin/staff/${supB.id}/password`, { password: TEST_PASSWORD }],
      [`/admin/staff/${supB.id}/totp`, undefined],
    ] as const) {
      expect((await ha<ConsoleError>('POST', path, body)).json.code, path).toBe('FORBIDDEN');
    }
    const leader = await ha<ConsoleError>('POST', '/admin/staff', {
      login: 'leader.a',
      name: '甲领导',
      roles: ['leader'],
      hallIds: [hallA.id],
    });
    expect(leader.json.code).toBe('FORBIDDEN');
    expect((await ha('POST', `/admin/staff/${clerk.json.id}`, { roles: ['hall_admin'] })).status).toBe(403);
    expect((await admin<AdminStaff>('GET', `/admin/staff?hallId=${hallB.id}&role=supervisor`)).json).toMatchObject([
      { name: '乙督查', enabled: true },
    ]);

    const supervisor = consoleClient(
      central.url,
      (
        await consoleSession(central.url, central.adminSession.token, {
          login: 'sup.x',
          roles: ['supervisor'],
          hallIds: [hallA.id],
        })
      ).token,
    );
    expect((await supervisor('GET', '/admin/staff')).status).toBe(403);
    expect(
      (await supervisor('POST', '/admin/staff', { login: 'clerk.z', name: 'z', roles: ['clerk'], hallIds: [hallA.id] }))
        .status,
    ).toBe(403);
    expect((await supervisor('POST', `/admin/staff/${clerk.json.id}/disable`)).status).toBe(403);
  });
});
