import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_SCHEMA_HEADER } from '@shared/sync/wire';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { openSyncDevice, drain, type SyncDevice } from '../fixtures/central-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { bundle, refData } from '../fixtures/leader-core';
import { tempDir } from '../fixtures/temp-dir';

interface Answer {
  rows: { id: string }[];
  outcomes: { status: string; result: unknown }[];
}

/** (5) Hall A's token can neither read nor write hall B's data; leader content reaches only its leader. */
describe('central: hall isolation', () => {
  let central: TestCentral;
  const dirs: { remove(): void }[] = [];
  const devices: SyncDevice[] = [];
  let hallA: { id: string }, hallB: { id: string };
  let a: SyncDevice, b: SyncDevice, leaderA: SyncDevice;

  async function device(hallId: string, role: string, leaderId: string | null = null) {
    const tmp = tempDir('ow-sync-iso-');
    dirs.push(tmp);
    const d = await openSyncDevice({ dataDir: tmp.dir, name: `${role}-${devices.length}` });
    devices.push(d);
    await d.engine.enroll(central.url, await central.admin.code(hallId, role, leaderId));
    return d;
  }
  const tokenOf = (d: SyncDevice) => d.token();
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${central.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        [SYNC_SCHEMA_HEADER]: String(SYNC_SCHEMA_VERSION),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json()) as Answer };
  };

  let LEADER_1: string, LEADER_2: string;

  beforeAll(async () => {
    central = await startCentral();
    hallA = await central.admin.createHall('HALLA');
    hallB = await central.admin.createHall('HALLB');
    LEADER_1 = await central.admin.leader(hallA.id);
    LEADER_2 = await central.admin.leader(hallA.id);
    a = await device(hallA.id, 'counter');
    b = await device(hallB.id, 'counter');
    leaderA = await device(hallA.id, 'leader', LEADER_1);
  });
  afterAll(async () => {
    for (const d of devices) await d.close();
    await central.stop();
    for (const t of dirs) t.remove();
  });

  it('pulls only its hall rows, and leader content only on that leader’s device', async () => {
    await central.admin.request('PUT', `/admin/v1/halls/${hallA.id}/clerks/k-a`, { name: '甲', pin: '111111' });
    await central.admin.request('PUT', `/admin/v1/halls/${hallB.id}/clerks/k-b`, { name: '乙', pin: '222222' });
    const [mine, theirs] = bundle().schedules;
    await central.admin.putRef('leader.schedule', mine!.id, {
      hallId: hallA.id,
      leaderId: LEADER_1,
      data: refData(mine!),
    });
    await central.admin.putRef('leader.schedule', theirs!.id, {
      hallId: hallA.id,
      leaderId: LEADER_2,
      data: refData(theirs!),
    });
    for (const d of [a, b, leaderA]) await drain(d);
    expect(a.leaderContent.ids('leader.schedule')).toEqual([]);
    expect(leaderA.leaderContent.ids('leader.schedule')).toEqual([mine!.id]);

    // The raw API with A's token: leader content is refused outright (a counter never has it), its staff
    // kind from the start gives its own hall's rows only.
    const leaderPage = await call(tokenOf(a), 'GET', '/sync/v1/pull?kinds=staff,leader.schedule&cursor=');
    expect(leaderPage.status).toBe(403);
    const page = await call(tokenOf(a), 'GET', '/sync/v1/pull?kinds=staff&cursor=');
    expect(page.status).toBe(200);
    // Its clerk and its hall's leader accounts; nobody of hall B.
    const ids = page.json.rows.map((r) => r.id);
    expect(ids).toContain('k-a');
    expect(ids).not.toContain('k-b');
    expect(ids).toHaveLength(3);
    const pageB = await call(tokenOf(b), 'GET', '/sync/v1/pull?kinds=staff&cursor=');
    expect(pageB.json.rows.map((r) => r.id)).toEqual(['k-b']);
  });

  it('writes of A land in hall A only, and A cannot push into, or read back, B’s replica', async () => {
    a.write(3);
    b.write(2);
    await drain(a);
    await drain(b);
    const logA = (await central.admin.request('GET', `/admin/v1/halls/${hallA.id}/mutations`)).json as {
      name: string;
    }[];
    const logB = (await central.admin.request('GET', `/admin/v1/halls/${hallB.id}/mutations`)).json as {
      name: string;
    }[];
    expect(logA).toHaveLength(3);
    expect(logB).toHaveLength(2);

    // Replaying B's replica (and its mutation ids) with A's token: refused, nothing of B's answered.
    const bRow = b.rows()[0]!;
    const replay = await call(tokenOf(a), 'POST', '/sync/v1/push', {
      mutations: [
        {
          replicaId: bRow.replica_id,
          seq: 1,
          mutationId: bRow.mutation_id,
          name: 'test.note',
          version: 1,
          args: { device: 'x', n: 0, text: 'x' },
          entityId: null,
          schemaVersion: SYNC_SCHEMA_VERSION,
          deviceTime: new Date().toISOString(),
        },
      ],
    });
    expect(replay.status).toBe(403);
    expect(JSON.stringify(replay.json)).not.toContain('note');

    // A's own new replica reusing B's mutation id: a committed rejection, B's row untouched.
    const steal = await call(tokenOf(a), 'POST', '/sync/v1/push', {
      mutations: [
        {
          replicaId: crypto.randomUUID(),
          seq: 1,
          mutationId: bRow.mutation_id,
          name: 'test.note',
          version: 1,
          args: { device: 'x', n: 0, text: 'x' },
          entityId: null,
          schemaVersion: SYNC_SCHEMA_VERSION,
          deviceTime: new Date().toISOString(),
        },
      ],
    });
    expect(steal.status).toBe(200);
    expect(steal.json.outcomes[0]).toMatchObject({ status: 'rejected', result: { reason: 'DUPLICATE_MUTATION_ID' } });
    const logB2 = (await central.admin.request('GET', `/admin/v1/halls/${hallB.id}/mutations`)).json as unknown[];
    expect(logB2).toEqual(logB);
  });

  it('refuses unknown and revoked tokens, and admin calls with a device token', async () => {
    expect((await call('nope', 'GET', '/sync/v1/pull?kinds=clerk')).status).toBe(401);
    expect((await call(tokenOf(a), 'GET', `/admin/v1/halls/${hallB.id}/devices`)).status).toBe(401);
    const devicesB = (await central.admin.request('GET', `/admin/v1/halls/${hallB.id}/devices`)).json as {
      id: string;
    }[];
    expect((await central.admin.request('POST', `/admin/v1/devices/${devicesB[0]!.id}/revoke`)).status).toBe(200);
    b.write(1);
    expect(await b.engine.runOnce()).toBe('failed');
    expect(b.engine.status()).toMatchObject({ pendingCount: 1, lastError: expect.stringMatching(/^UNAUTHENTICATED/) });

    // Enrolled again (a new token for the same hall), it still delivers what it wrote under the old one:
    // the admin confirms (`force`) since the rows could not go out first, and in the same hall none drop.
    const again = await b.engine.enroll(central.url, await central.admin.code(hallB.id, 'counter'), { force: true });
    expect(again.dropped).toBe(0);
    await drain(b);
    const logB = (await central.admin.request<unknown[]>('GET', `/admin/v1/halls/${hallB.id}/mutations`)).json;
    expect(logB).toHaveLength(3);
  });

  it('an enrollment code works once', async () => {
    const code = await central.admin.code(hallA.id, 'counter');
    const first = await fetch(`${central.url}/sync/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, deviceName: 'one' }),
    });
    expect(first.status).toBe(200);
    const again = await fetch(`${central.url}/sync/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, deviceName: 'two' }),
    });
    expect(again.status).toBe(403);
  });
});
