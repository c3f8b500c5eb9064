import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminDevice, AdminHall, EnrolmentCode, HallLeader } from '@shared/console/administration';
import type { ConsoleError } from '@shared/console/session';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { SYNC_SCHEMA_HEADER } from '@shared/sync/wire';
import { leaderIdOf } from '../../central/src/office/leader-id';
import { consoleClient, type ConsoleClient } from '../fixtures/central-console';
import { consoleSession } from '../fixtures/central-identity';
import { startCentral, type TestCentral } from '../fixtures/central-server';

/**
 * A hall's devices at the console: an enrolment code (a leader device names a leader account of the hall),
 * a device enrolling with it, listed with when it was enrolled and last seen, revoked: its next sync is
 * refused. A hall administrator does this for their own hall only.
 */
describe('console administration: devices and enrolment codes', () => {
  let central: TestCentral;
  let admin: ConsoleClient;
  let hall: AdminHall;
  let otherHall: AdminHall;

  const syncHeaders = (token?: string) => ({
    'content-type': 'application/json',
    [SYNC_SCHEMA_HEADER]: String(SYNC_SCHEMA_VERSION),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  });
  const enrol = async (code: string, deviceName: string) => {
    const res = await fetch(`${central.url}/sync/v1/enroll`, {
      method: 'POST',
      headers: syncHeaders(),
      body: JSON.stringify({ code, deviceName }),
    });
    return {
      status: res.status,
      json: (await res.json()) as { deviceId: string; token: string; leaderId: string | null },
    };
  };
  const pull = async (token: string) =>
    (await fetch(`${central.url}/sync/v1/pull?kinds=hall.zone`, { headers: syncHeaders(token) })).status;
  const hallCode = async (hallId: string, body: unknown, as = admin) =>
    as<EnrolmentCode & ConsoleError>('POST', `/admin/halls/${hallId}/enrolment-codes`, body);

  beforeAll(async () => {
    central = await startCentral();
    admin = consoleClient(central.url, central.adminSession.token);
    hall = (
      await admin<AdminHall>('POST', '/admin/halls', { code: 'DEV1', name: '设备大厅', timeZone: 'Asia/Shanghai' })
    ).json;
    otherHall = (await admin<AdminHall>('POST', '/admin/halls', { code: 'DEV2', name: '别的大厅', timeZone: 'UTC' }))
      .json;
  });
  afterAll(async () => {
    await central.stop();
  });

  it('makes a code shown once with its expiry; a device enrols with it once; listed; revoked; its next sync refused', async () => {
    const before = Date.now();
    const made = await hallCode(hall.id, { role: 'counter', ttlMinutes: 30 });
    expect(made.status).toBe(201);
    expect(made.json.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const expires = Date.parse(made.json.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 30 * 60_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 30 * 60_000);
    // Central keeps the code's hash only, and the audit row names the write without the code.
    const stored = await central.pool.query('SELECT 1 FROM enrollment_codes WHERE code_sha256 = $1', [made.json.code]);
    expect(stored.rowCount).toBe(0);
    const audit = await central.pool.query<{ after: unknown }>(
      `SELECT after FROM admin_audit WHERE entity = 'enrollment-code:counter' AND hall_id = $1`,
      [hall.id],
    );
    expect(JSON.stringify(audit.rows)).not.toContain(made.json.code);

    const device = await enrol(made.json.code, 'DEV1-C01');
    expect(device.status).toBe(200);
    expect((await enrol(made.json.code, 'DEV1-C02')).status).toBe(403);
    expect(await pull(device.json.token)).toBe(200);

    const listed = await admin<AdminDevice[]>('GET', `/admin/halls/${hall.id}/devices`);
    expect(listed.json).toEqual([
      expect.objectContaining({
        id: device.json.deviceId,
        role: 'counter',
        name: 'DEV1-C01',
        leaderId: null,
        revokedAt: null,
        enrolledAt: expect.any(String),
        lastSeenAt: expect.any(String),
      }),
    ]);
    expect((await admin<AdminHall[]>('GET', '/admin/halls')).json.find((h) => h.id === hall.id)?.devices).toBe(1);

    const revoked = await admin<AdminDevice>('POST', `/admin/devices/${device.json.deviceId}/revoke`);
    expect(revoked).toMatchObject({ status: 200, json: { id: device.json.deviceId, revokedAt: expect.any(String) } });
    expect(await pull(device.json.token)).toBe(401);
    expect((await admin<AdminHall[]>('GET', '/admin/halls')).json.find((h) => h.id === hall.id)?.devices).toBe(0);
    const rows = await central.pool.query<{ action: string }>('SELECT action FROM admin_audit WHERE entity = $1', [
      `device:${device.json.deviceId}`,
    ]);
    expect(rows.rows).toHaveLength(1);
  });

  it('records when a device was last heard from, at most once a minute, and never for a revoked one', async () => {
    const code = (await hallCode(hall.id, { role: 'counter', ttlMinutes: 30 })).json.code;
    const device = (await enrol(code, 'DEV1-SEEN')).json;
    const seen = async () =>
      (
        await central.pool.query<{ t: Date | null }>('SELECT last_seen_at AS t FROM devices WHERE id = $1', [
          device.deviceId,
        ])
      ).rows[0]!.t;
    const setSeen = (sql: string) =>
      central.pool.query(`UPDATE devices SET last_seen_at = ${sql} WHERE id = $1`, [device.deviceId]);

    expect(await seen()).toBeNull();
    expect(await pull(device.token)).toBe(200);
    expect(await seen()).not.toBeNull();
    // Heard from 30 s ago: no new write. Two minutes ago: written again.
    await setSeen("now() - interval '30 seconds'");
    const recent = await seen();
    expect(await pull(device.token)).toBe(200);
    expect(await seen()).toEqual(recent);
    await setSeen("now() - interval '2 minutes'");
    const old = await seen();
    expect(await pull(device.token)).toBe(200);
    expect((await seen())!.getTime()).toBeGreaterThan(old!.getTime());

    await admin<AdminDevice>('POST', `/admin/devices/${device.deviceId}/revoke`);
    await setSeen("now() - interval '2 minutes'");
    const atRevoke = await seen();
    expect(await pull(device.token)).toBe(401);
    expect(await seen()).toEqual(atRevoke);
  });

  it('offers the hall’s enabled leader accounts for a leader device, and takes no one else', async () => {
    const leader = await admin<{ id: string }>('POST', '/admin/staff', {
      login: 'leader.dev',
      name: '李领导',
      roles: ['leader'],
      hallIds: [hall.id],
    });
    const elsewhere = await admin<{ id: string }>('POST', '/admin/staff', {
      login: 'leader.other',
      name: '王领导',
      roles: ['leader'],
      hallIds: [otherHall.id],
    });
    const retired = await admin<{ id: string }>('POST', '/admin/staff', {
      login: 'leader.old',
      name: '退休领导',
      roles: ['leader'],
      hallIds: [hall.id],
      enabled: false,
    });
    // A leader device names its leader by the id the leader's office writes their content under.
    const leaderId = leaderIdOf(leader.json.id);
    const leaders = await admin<HallLeader[]>('GET', `/admin/halls/${hall.id}/leaders`);
    expect(leaders.json).toEqual([{ id: leaderId, login: 'leader.dev', name: '李领导' }]);

    // Another hall's leader, a disabled one, and the leader's staff id in place of their leader id.
    for (const wrong of [leaderIdOf(elsewhere.json.id), leaderIdOf(retired.json.id), leader.json.id]) {
      const refused = await hallCode(hall.id, { role: 'leader', leaderId: wrong });
      expect(refused).toMatchObject({
        status: 400,
        json: { code: 'INVALID_INPUT', fields: { leaderId: expect.any(String) } },
      });
    }
    const noLeader = await hallCode(hall.id, { role: 'leader' });
    expect(noLeader.json.fields).toHaveProperty('leaderId');
    const notLeaderDevice = await hallCode(hall.id, { role: 'kiosk', leaderId });
    expect(notLeaderDevice.json.fields).toHaveProperty('leaderId');
    const tooLong = await hallCode(hall.id, { role: 'kiosk', ttlMinutes: 8 * 24 * 60 });
    expect(tooLong.json.fields).toHaveProperty('ttlMinutes');

    const made = await hallCode(hall.id, { role: 'leader', leaderId });
    const device = await enrol(made.json.code, 'DEV1-L1');
    expect(device.json.leaderId).toBe(leaderId);
    const listed = await admin<AdminDevice[]>('GET', `/admin/halls/${hall.id}/devices`);
    expect(listed.json[0]).toMatchObject({ role: 'leader', leaderId, leaderName: '李领导', zone: 'core' });
  });

  it('lets a hall administrator act in their own hall only, and no other console role at all', async () => {
    const ha = consoleClient(
      central.url,
      (
        await consoleSession(central.url, central.adminSession.token, {
          login: 'ha.dev',
          roles: ['hall_admin'],
          hallIds: [hall.id],
        })
      ).token,
    );
    const own = await hallCode(hall.id, { role: 'display' }, ha);
    expect(own.status).toBe(201);
    expect((await hallCode(otherHall.id, { role: 'display' }, ha)).status).toBe(403);
    expect((await ha('GET', `/admin/halls/${otherHall.id}/devices`)).status).toBe(403);
    expect((await ha('GET', `/admin/halls/${otherHall.id}/leaders`)).status).toBe(403);

    const foreign = await enrol((await hallCode(otherHall.id, { role: 'kiosk' })).json.code, 'DEV2-K1');
    expect((await ha<ConsoleError>('POST', `/admin/devices/${foreign.json.deviceId}/revoke`)).json.code).toBe(
      'FORBIDDEN',
    );
    expect(await pull(foreign.json.token)).toBe(200);
    const mine = await enrol(own.json.code, 'DEV1-D1');
    expect((await ha('POST', `/admin/devices/${mine.json.deviceId}/revoke`)).status).toBe(200);
    expect(await pull(mine.json.token)).toBe(401);

    const supervisor = consoleClient(
      central.url,
      (
        await consoleSession(central.url, central.adminSession.token, {
          login: 'sup.dev',
          roles: ['supervisor'],
          hallIds: [hall.id],
        })
      ).token,
    );
    expect((await hallCode(hall.id, { role: 'display' }, supervisor)).status).toBe(403);
    expect((await supervisor('GET', `/admin/halls/${hall.id}/devices`)).status).toBe(403);
    expect((await supervisor('POST', `/admin/devices/${foreign.json.deviceId}/revoke`)).status).toBe(403);
    expect(await pull(foreign.json.token)).toBe(200);
  });
});
