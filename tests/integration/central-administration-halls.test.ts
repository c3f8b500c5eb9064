import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemInfo } from '@shared/api';
import { deviceConfigSchema } from '@shared/config';
import { formatHallTime } from '@shared/format/hall-time';
import type { AdminHall, EnrolmentCode } from '@shared/console/administration';
import type { ConsoleError } from '@shared/console/session';
import { mutationDefs } from '@shared/sync/mutations';
import fs from 'node:fs';
import path from 'node:path';
import type { QueueSettings } from '@shared/api';
import { createCore, type Core } from '../../electron/core/app/create-core';
import { HallCalendars } from '../../central/src/casework/hall-calendar';
import { consoleClient, testClock, type ConsoleClient } from '../fixtures/central-console';
import { consoleSession } from '../fixtures/central-identity';
import { DEMO_PERSON, seedCase } from '../fixtures/central-cases';
import { HUB_CLOCK_START, startHubProcess } from '../fixtures/hub-process';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';
import { TEST_SCRYPT } from '../fixtures/leader-core';
import { leaderIdOf } from '../../central/src/office/leader-id';
import { tempDir } from '../fixtures/temp-dir';

/**
 * Halls at the console: created with a time zone and edited; the zone reaches the hall's hub and leader
 * device by pull (a leader PC has no hub to ask), the hub no longer changes it on its own, and central counts
 * the hall's days in it. Only administrators, and a hall administrator for their own hall only.
 */
describe('console administration: halls and their time zone', () => {
  let central: TestCentral;
  let admin: ConsoleClient;
  let hub: IntakeCore;
  let leaderCore: Core;
  const leaderDir = tempDir('ow-admin-leader-');
  let ny: AdminHall;
  let other: AdminHall;
  const { clock } = testClock('2026-03-02T02:00:00.000Z');

  const auditActions = async (entity: string) =>
    (
      await central.pool.query<{ action: string }>('SELECT action FROM admin_audit WHERE entity = $1 ORDER BY id', [
        entity,
      ])
    ).rows.map((r) => r.action);
  const info = async (core: Core, role: 'leader' | 'admin') => {
    const r = await core.dispatch({ role, transport: 'ipc', origin: `${role}-1` }, 'system.info', {});
    if (!r.ok) throw new Error(r.error.message);
    return r.value as SystemInfo;
  };

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs], casework: { clock, escalation: false } });
    admin = consoleClient(central.url, central.adminSession.token);
  });
  afterAll(async () => {
    leaderCore?.close();
    leaderDir.remove();
    hub?.stop();
    await central.stop();
  });

  it('creates a hall with its zone, refuses bad fields one by one and a code taken, and audits the write', async () => {
    const created = await admin<AdminHall>('POST', '/admin/halls', {
      code: 'NYC1',
      name: '纽约大厅',
      timeZone: 'America/New_York',
    });
    expect(created.status).toBe(201);
    ny = created.json;
    expect(ny).toMatchObject({ code: 'NYC1', name: '纽约大厅', timeZone: 'America/New_York', devices: 0 });
    other = (
      await admin<AdminHall>('POST', '/admin/halls', { code: 'SHA1', name: '上海大厅', timeZone: 'Asia/Shanghai' })
    ).json;

    const bad = await admin<ConsoleError>('POST', '/admin/halls', { code: 'ny', name: ' ', timeZone: 'Mars/Olympus' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.fields ?? {}).sort()).toEqual(['code', 'name', 'timeZone']);
    const taken = await admin<ConsoleError>('POST', '/admin/halls', { code: 'NYC1', name: '另一个', timeZone: 'UTC' });
    expect(taken).toMatchObject({
      status: 409,
      json: { code: 'HALL_CODE_TAKEN', fields: { code: expect.any(String) } },
    });

    const list = await admin<AdminHall[]>('GET', '/admin/halls');
    expect(list.json.map((h) => h.code)).toEqual(['NYC1', 'SHA1']);
    expect(await auditActions(`hall:${ny.id}`)).toEqual(['hall_created']);
  });

  it('sends the zone to the hall’s hub and to its leader PC, which has no hub to ask', async () => {
    // The hall's hub keeps its own clock: an enrolled device of the hall without a hub of its own.
    hub = await startIntakeCore('2026-03-02T02:00:00.000Z', { hallCode: 'NYC1' });
    const hubCode = await admin<EnrolmentCode>('POST', `/admin/halls/${ny.id}/enrolment-codes`, { role: 'hub' });
    await hub.core.sync.enroll(central.url, hubCode.json.code);
    expect(await hub.core.sync.runOnce()).toBe('ok');
    expect((await hub.asAdmin('queue.settings.get', {})).timeZone).toBe('America/New_York');

    const leader = await admin<{ id: string }>('POST', '/admin/staff', {
      login: 'leader.ny',
      name: '纽约领导',
      roles: ['leader'],
      hallIds: [ny.id],
    });
    const leaderCode = await admin<EnrolmentCode>('POST', `/admin/halls/${ny.id}/enrolment-codes`, {
      role: 'leader',
      leaderId: leaderIdOf(leader.json.id),
    });
    expect(leaderCode.status).toBe(201);
    leaderCore = await createCore({
      dataDir: leaderDir.dir,
      config: deviceConfigSchema.parse({
        hall: { code: 'NYC1', name: '纽约大厅' },
        deviceCode: 'L1',
        roles: ['leader'],
      }),
      appVersion: '0.0.0-test',
      leaderScrypt: TEST_SCRYPT,
      sync: { autoStart: false },
    });
    expect((await info(leaderCore, 'leader')).timeZone).toBe('Asia/Shanghai');
    await leaderCore.sync.enroll(central.url, leaderCode.json.code);
    expect(await leaderCore.sync.runOnce()).toBe('ok');
    expect((await info(leaderCore, 'leader')).timeZone).toBe('America/New_York');
  });

  it('edits the name and zone: both devices follow at their next pull, and the hub no longer sets a zone itself', async () => {
    const edited = await admin<AdminHall>('POST', `/admin/halls/${ny.id}`, {
      name: '纽约政务服务大厅',
      timeZone: 'Europe/Berlin',
    });
    expect(edited).toMatchObject({ status: 200, json: { name: '纽约政务服务大厅', timeZone: 'Europe/Berlin' } });
    expect(await hub.core.sync.runOnce()).toBe('ok');
    expect(await leaderCore.sync.runOnce()).toBe('ok');
    expect((await hub.asAdmin('queue.settings.get', {})).timeZone).toBe('Europe/Berlin');
    expect((await info(leaderCore, 'leader')).timeZone).toBe('Europe/Berlin');
    expect(await auditActions(`hall:${ny.id}`)).toEqual(['hall_created', 'hall_changed']);

    // The hall's zone is central's now: the hub's own settings keep their other fields editable.
    const settings = await hub.asAdmin('queue.settings.get', {});
    expect(await hub.refusal('queue.settings.update', { ...settings, timeZone: 'Asia/Tokyo' }, hub.admin)).toEqual(
      expect.objectContaining({ code: 'CONFLICT', reason: 'HALL_ZONE_AT_CENTRAL' }),
    );
    expect(await hub.asAdmin('queue.settings.update', { ...settings, noShowAfterCalls: 4 })).toMatchObject({
      timeZone: 'Europe/Berlin',
      noShowAfterCalls: 4,
    });

    const bad = await admin<ConsoleError>('POST', `/admin/halls/${ny.id}`, { name: '', timeZone: 'Nowhere' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.fields ?? {}).sort()).toEqual(['name', 'timeZone']);
  });

  it('leaves a device the hub serves on the hub’s clock, whatever central sends', async () => {
    // A hub not (yet) enrolled with central keeps the zone it was given by hand.
    const lan = await startHubProcess();
    const dir = tempDir('ow-admin-served-');
    let served: Core | undefined;
    try {
      const settings = (await lan.call(lan.tokens.admin, 'queue.settings.get', {})).value as QueueSettings;
      expect(
        (await lan.call(lan.tokens.admin, 'queue.settings.update', { ...settings, timeZone: 'Asia/Tokyo' })).ok,
      ).toBe(true);
      fs.writeFileSync(path.join(dir.dir, 'hub.token'), lan.tokens.admin);
      served = await createCore({
        dataDir: dir.dir,
        config: deviceConfigSchema.parse({
          hall: { code: 'NYC1', name: '纽约大厅' },
          deviceCode: 'A2',
          roles: ['admin'],
          hub: { url: lan.url, tokenFile: 'hub.token' },
        }),
        appVersion: '0.0.0-test',
        now: () => new Date(HUB_CLOCK_START),
        sync: { autoStart: false },
      });
      const code = await admin<EnrolmentCode>('POST', `/admin/halls/${ny.id}/enrolment-codes`, { role: 'admin' });
      await served.sync.enroll(central.url, code.json.code);
      expect(await served.sync.runOnce()).toBe('ok');
      expect((await info(served, 'admin')).timeZone).toBe('Asia/Tokyo');
    } finally {
      served?.close();
      await lan.stop();
      dir.remove();
    }
  });

  it('counts the hall’s days in its zone at central: casework’s today, Open311’s and the tracking page’s times', async () => {
    // 02:00 UTC on 2 March is still 1 March in New York, already 2 March in Shanghai.
    const usa = await admin<AdminHall>('POST', '/admin/halls', {
      code: 'USA2',
      name: '美东大厅',
      timeZone: 'America/New_York',
    });
    const cal = await HallCalendars.load(central.pool);
    expect(cal.today(usa.json.id, clock)).toBe('2026-03-01');
    expect(cal.today(other.id, clock)).toBe('2026-03-02');

    const c = await seedCase(central.pool, {
      hallId: usa.json.id,
      caseNumber: 'USA2-20260301-C01-0001',
      matterCode: 'MKT-001',
      departmentId: 'mkt',
      applicant: DEMO_PERSON,
      status: 'in_progress',
      acceptedAt: new Date('2026-03-02T02:00:00.000Z'),
      promisedDate: '2026-03-10',
      steps: [{ action: 'accept', to: 'accepted' }],
    });
    const res = await fetch(`${central.url}/open311/v2/requests/${c.caseNumber}.json?jurisdiction_id=USA2`);
    const [request] = (await res.json()) as { requested_datetime: string; expected_datetime: string }[];
    expect(request!.requested_datetime).toBe('2026-03-01T21:00:00-05:00');
    expect(request!.expected_datetime).toBe('2026-03-10T23:59:59-04:00');

    // The public tracking page writes the case's times as the hall's clock showed them.
    const html = await (await fetch(`${central.url}/track/${c.caseNumber}?code=${c.queryCode}`)).text();
    const at = '2026-03-02T02:00:00.000Z';
    expect(html).toContain(formatHallTime(at, 'America/New_York', 'zh-CN', 'long'));
    expect(html).not.toContain(formatHallTime(at, 'Asia/Shanghai', 'zh-CN', 'long'));
  });

  it('lets a hall administrator see and edit their own hall only, and nobody else in', async () => {
    const hallAdmin = consoleClient(
      central.url,
      (
        await consoleSession(central.url, central.adminSession.token, {
          login: 'ha.ny',
          roles: ['hall_admin'],
          hallIds: [ny.id],
        })
      ).token,
    );
    expect((await hallAdmin<AdminHall[]>('GET', '/admin/halls')).json.map((h) => h.code)).toEqual(['NYC1']);
    expect(
      (await hallAdmin('POST', `/admin/halls/${ny.id}`, { name: '纽约大厅', timeZone: 'America/New_York' })).status,
    ).toBe(200);
    expect(
      (await hallAdmin<ConsoleError>('POST', `/admin/halls/${other.id}`, { name: '不是我的', timeZone: 'UTC' })).json
        .code,
    ).toBe('FORBIDDEN');
    expect(
      (await hallAdmin<ConsoleError>('POST', '/admin/halls', { code: 'MINE', name: '自建', timeZone: 'UTC' })).status,
    ).toBe(403);

    // A supervisor and the leader's office use the console, but administer nothing.
    for (const p of [
      { login: 'sup.ny', roles: ['supervisor'], hallIds: [ny.id] },
      { login: 'office', roles: ['leader_office'] },
    ]) {
      const someone = consoleClient(
        central.url,
        (await consoleSession(central.url, central.adminSession.token, p)).token,
      );
      expect((await someone<ConsoleError>('GET', '/admin/halls')).status).toBe(403);
      expect((await someone('POST', `/admin/halls/${ny.id}`, { name: 'x', timeZone: 'UTC' })).status).toBe(403);
    }
    expect((await admin<AdminHall[]>('GET', '/admin/halls')).json.find((h) => h.id === other.id)?.name).toBe(
      '上海大厅',
    );
  });
});
