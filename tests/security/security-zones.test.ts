import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASSIFICATIONS } from '@shared/api/methods/leader';
import { INSIGHT_INTAKE_PATH, INSIGHT_TICKETS_PATH } from '@shared/sync/insight-queries';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { SYNC_SCHEMA_HEADER, type PullResponse } from '@shared/sync/wire';
import { CLASSIFICATION_ZONES, ZONE_OF_ROLE, classificationReaches } from '@shared/sync/zones';
import type { AdminDevice, EnrolmentCode } from '@shared/console/administration';
import { consoleClient } from '../fixtures/central-console';
import { openSyncDevice } from '../fixtures/central-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

const sync = { [SYNC_SCHEMA_HEADER]: String(SYNC_SCHEMA_VERSION) };

/**
 * The three security zones: 公众信息网 (public), 政务内网 (government), 核心安全网 (core). Central sets a
 * device's zone at enrolment (from its role, or as the administrator who made the code says) and keeps it;
 * what a device may ask for is what its role needs AND its zone allows. A counter PC moved onto the public
 * network must not keep getting clerks' PIN hashes or applicants' profiles; a leader PC outside the core
 * network gets no leader content, whatever its role.
 */
describe('security zones: what each zone may ask central for', () => {
  let central: TestCentral;
  let hallId: string;

  const enrol = async (role: string, zone?: string) => {
    const leaderId = role === 'leader' ? await central.admin.leader(hallId) : null;
    const made = await central.admin.request<{ code: string }>('POST', `/admin/v1/halls/${hallId}/enrollment-codes`, {
      role,
      leaderId,
      ...(zone ? { zone } : {}),
    });
    expect(made.status).toBe(201);
    const res = await fetch(`${central.url}/sync/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sync },
      body: JSON.stringify({ code: made.json.code, deviceName: `${role}-${zone ?? 'default'}` }),
    });
    expect(res.status).toBe(200);
    const json = (await res.json()) as { token: string; zone: string; deviceId: string };
    const get = async (path: string) => {
      const r = await fetch(`${central.url}${path}`, { headers: { authorization: `Bearer ${json.token}`, ...sync } });
      return { status: r.status, json: (await r.json()) as PullResponse & { error?: string; zone?: string } };
    };
    return { ...json, get, pull: (kinds: string) => get(`/sync/v1/pull?cursor=&kinds=${kinds}`) };
  };

  beforeAll(async () => {
    central = await startCentral();
    hallId = (await central.admin.createHall('ZONES')).id;
    await central.admin.request('POST', '/admin/v1/staff', {
      id: 'z-clerk',
      login: 'z.clerk',
      name: '甲',
      roles: ['clerk'],
      hallIds: [hallId],
      pin: '246810',
    });
  });
  afterAll(() => central.stop());

  it('tells each device its zone at enrolment, decided by central from the role', async () => {
    const expected = {
      kiosk: 'public',
      display: 'public',
      counter: 'government',
      hub: 'government',
      admin: 'government',
      leader: 'core',
    };
    for (const [role, zone] of Object.entries(expected)) {
      expect((await enrol(role)).zone, role).toBe(zone);
    }
    expect(ZONE_OF_ROLE).toEqual(expected);
  });

  it('keeps the zone at central and lists it with the hall devices', async () => {
    const d = await enrol('counter', 'public');
    const listed = await central.admin.request<{ id: string; zone: string }[]>(
      'GET',
      `/admin/v1/halls/${hallId}/devices`,
    );
    expect(listed.json.find((x) => x.id === d.deviceId)?.zone).toBe('public');
  });

  it("takes the console's override at enrolment and lists the device with it", async () => {
    const admin = consoleClient(central.url, central.adminSession.token);
    const made = await admin<EnrolmentCode>('POST', `/admin/halls/${hallId}/enrolment-codes`, {
      role: 'counter',
      zone: 'public',
    });
    expect(made.status).toBe(201);
    expect(made.json.zone).toBe('public');
    const res = await fetch(`${central.url}/sync/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sync },
      body: JSON.stringify({ code: made.json.code, deviceName: 'console-public-counter' }),
    });
    const { deviceId, zone } = (await res.json()) as { deviceId: string; zone: string };
    expect(zone).toBe('public');
    const listed = await admin<AdminDevice[]>('GET', `/admin/halls/${hallId}/devices`);
    expect(listed.json.find((d) => d.id === deviceId)?.zone).toBe('public');
  });

  it('refuses an unknown zone in an enrolment code', async () => {
    const made = await central.admin.request('POST', `/admin/v1/halls/${hallId}/enrollment-codes`, {
      role: 'counter',
      zone: 'internet',
    });
    expect(made.status).toBe(400);
  });

  it('a counter put in the public zone gets no staff, no case progress and no applicant profile (403 ZONE_FORBIDDEN)', async () => {
    const d = await enrol('counter', 'public');
    expect(d.zone).toBe('public');
    for (const kinds of ['staff', 'case.status', 'feedback.status']) {
      const r = await d.pull(kinds);
      expect(r.status, kinds).toBe(403);
      expect(r.json).toMatchObject({ error: 'ZONE_FORBIDDEN', zone: 'public' });
    }
    expect((await d.pull('holiday,hall.zone,catalog.matter')).status).toBe(200);
    const lookup = await d.get(`/sync/v1/applicants/${'a'.repeat(64)}`);
    expect(lookup.status).toBe(403);
    expect(lookup.json).toMatchObject({ error: 'ZONE_FORBIDDEN' });
  });

  it('an admin PC or hub in the public zone sees no hall dashboard figures', async () => {
    for (const role of ['admin', 'hub']) {
      const d = await enrol(role, 'public');
      const q = 'from=2026-01-01&to=2026-01-31&today=2026-01-31&tz=Asia%2FShanghai';
      for (const path of [INSIGHT_INTAKE_PATH, INSIGHT_TICKETS_PATH]) {
        const r = await d.get(`${path}?${q}`);
        expect(r.status, `${role} ${path}`).toBe(403);
        expect(r.json).toMatchObject({ error: 'ZONE_FORBIDDEN' });
      }
    }
  });

  it('a leader PC outside the core zone gets no leader content of any classification', async () => {
    for (const zone of ['government', 'public']) {
      const d = await enrol('leader', zone);
      for (const kind of ['leader.schedule', 'leader.briefing', 'leader.file']) {
        const r = await d.pull(kind);
        expect(r.status, `${zone} ${kind}`).toBe(403);
        expect(r.json).toMatchObject({ error: 'ZONE_FORBIDDEN', zone });
      }
    }
    expect((await (await enrol('leader')).pull('leader.schedule,leader.briefing,leader.file')).status).toBe(200);
  });

  it('sends 秘密 and 机密 to the core zone only', () => {
    for (const c of CLASSIFICATIONS) expect(classificationReaches(c, 'core'), c).toBe(true);
    for (const c of ['secret', 'top_secret'] as const) {
      expect(CLASSIFICATION_ZONES[c]).toEqual(['core']);
      expect(classificationReaches(c, 'government')).toBe(false);
      expect(classificationReaches(c, 'public')).toBe(false);
    }
  });

  it('a device learns its zone at enrolment and asks only for what its zone allows', async () => {
    const dir = tempDir('ow-sec-zone-device-');
    const device = await openSyncDevice({ dataDir: dir.dir, name: 'counter-public' });
    try {
      const made = await central.admin.request<{ code: string }>('POST', `/admin/v1/halls/${hallId}/enrollment-codes`, {
        role: 'counter',
        zone: 'public',
      });
      await device.engine.enroll(central.url, made.json.code);
      expect(device.state.get().enrollment?.zone).toBe('public');
      expect(await device.engine.runOnce()).toBe('ok');
      expect(device.db.prepare('SELECT id FROM staff').all()).toEqual([]);
    } finally {
      await device.close();
      dir.remove();
    }
  });

  it('refuses to start central with a route that names no zone; the tracking page is public', async () => {
    const { default: Fastify } = await import('fastify');
    const { endpointZone, requireEndpointZones } = await import('../../central/src/zones/endpoint-zones');
    const app = Fastify();
    requireEndpointZones(app);
    expect(() => app.get('/nowhere', async () => ({}))).toThrow(/no security zone/);
    expect(() => app.get('/track/:caseNumber', async () => ({}))).not.toThrow();
    await app.close();
    expect(endpointZone('/track/:caseNumber')).toBe('public');
    expect(endpointZone('/sync/v1/pull')).toBe('public');
    expect(endpointZone('/sync/v1/applicants/:idHash')).toBe('government');
    expect(endpointZone('/api/console/v1/office/leaders')).toBe('core');
  });

  it('drops a leader file whose classification does not reach the device zone', async () => {
    const { zoneMayReceive } = await import('../../central/src/zones/pull-access');
    const file = (classification: string) => ({
      kind: 'leader.file',
      id: crypto.randomUUID(),
      version: 1,
      deleted: false,
      data: { classification },
    });
    expect(zoneMayReceive(file('secret'), 'core')).toBe(true);
    for (const zone of ['government', 'public'] as const) {
      for (const c of ['internal', 'secret', 'top_secret', 'unknown'])
        expect(zoneMayReceive(file(c), zone)).toBe(false);
    }
  });
});
