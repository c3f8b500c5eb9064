import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMutationRegistry } from '@shared/sync/registry';
import { NUDGES_PATH } from '@shared/sync/nudges';
import { buildCentral } from '../../central/src/server';
import { openSyncDevice, type SyncDevice } from '../fixtures/central-device';
import { testNote } from '../fixtures/central-mutations';
import {
  ADMIN_TOKEN,
  centralAdmin,
  startCentral,
  type CentralAdmin,
  type TestCentral,
} from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

/** A raw nudge stream, recording its event blocks: what central sends, seen without any device logic. */
async function openStream(url: string, token: string) {
  const ctl = new AbortController();
  const res = await fetch(`${url}${NUDGES_PATH}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: ctl.signal,
  });
  const blocks: string[] = [];
  let ended = res.status !== 200;
  if (res.status === 200) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body!) {
          buffer += decoder.decode(chunk as Uint8Array, { stream: true });
          const parts = buffer.split('\n\n');
          buffer = parts.pop()!;
          blocks.push(...parts);
        }
      } catch {
        // aborted by the test
      }
      ended = true;
    })();
  } else await res.body?.cancel();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    pulls: () => blocks.filter((b) => b === 'event: pull\ndata:').length,
    heartbeats: () => blocks.filter((b) => b === ': heartbeat').length,
    ended: () => ended,
    close: () => ctl.abort(),
  };
}
type Stream = Awaited<ReturnType<typeof openStream>>;

/** Central's administrator appoints a clerk of a hall (staff API: central sends the device its staff row). */
async function addClerk(admin: CentralAdmin, id: string, hallId: string, name: string) {
  const r = await admin.request('POST', '/admin/v1/staff', {
    id,
    login: id,
    name,
    roles: ['clerk'],
    hallIds: [hallId],
  });
  if (r.status !== 201) throw new Error(`POST /admin/v1/staff ${id}: ${r.status} ${JSON.stringify(r.json)}`);
}
const briefing = () => ({
  kind: 'briefing',
  title: '简报',
  body: '内容',
  priority: 'normal',
  publishedAt: new Date().toISOString(),
});

// Nudges travel by LISTEN/NOTIFY: a PostgreSQL server only (tag `postgres`).
describe('live nudges: central tells exactly the devices whose pull has something new', { tags: ['postgres'] }, () => {
  let central: TestCentral;
  let hallA: string;
  let hallB: string;
  const streams: Stream[] = [];
  const devices: SyncDevice[] = [];
  const dirs: ReturnType<typeof tempDir>[] = [];

  async function enroll(hallId: string, role = 'counter', leaderId: string | null = null, url = central.url) {
    const code = await central.admin.code(hallId, role, leaderId);
    const res = await fetch(`${url}/sync/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, deviceName: `raw-${role}` }),
    });
    return (await res.json()) as { deviceId: string; token: string };
  }
  async function stream(token: string, url = central.url) {
    const s = await openStream(url, token);
    streams.push(s);
    return s;
  }
  /** A sync device that polls only once a minute: anything sooner than that came from a nudge. */
  async function device(name: string, fetchImpl?: typeof fetch) {
    const t = tempDir('ow-sync-nudge-');
    dirs.push(t);
    const d = await openSyncDevice({ dataDir: t.dir, name, timing: { idleMs: 60_000 }, fetch: fetchImpl });
    devices.push(d);
    return d;
  }
  /** Waits until the device's stream is open and the pull its opening asks for is done. */
  async function settled(d: SyncDevice) {
    await vi.waitFor(() => expect(d.engine.nudgeStreamOpen()).toBe(true), { timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 800));
  }

  beforeAll(async () => {
    central = await startCentral({ mutations: [testNote] });
    hallA = (await central.admin.createHall('NUDGEA')).id;
    hallB = (await central.admin.createHall('NUDGEB')).id;
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    for (const d of devices) await d.close();
    await central.stop();
    for (const t of dirs) t.remove();
  });

  it('a clerk added at central reaches an enrolled device well before its next poll', async () => {
    const d = await device('nudged');
    await d.engine.enroll(central.url, await central.admin.code(hallA, 'counter'));
    d.engine.start();
    await settled(d);
    const started = Date.now();
    await addClerk(central.admin, 'k-live', hallA, '王五');
    await vi.waitFor(() => expect(d.staff.byId('k-live')).toBeDefined(), { timeout: 30_000, interval: 20 });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a nudge that arrives while a round is pulling makes another round', async () => {
    let pulls = 0;
    /** Called once, from within the next pull request. */
    let midPull: (() => void) | undefined;
    const nudgingFetch: typeof fetch = (input, init) => {
      if (String(input).includes('/sync/v1/pull?')) {
        pulls++;
        const during = midPull;
        midPull = undefined;
        during?.();
      }
      return fetch(input, init);
    };
    const d = await device('mid-round', nudgingFetch);
    await d.engine.enroll(central.url, await central.admin.code(hallA, 'counter'));
    d.engine.start();
    await settled(d);
    const before = pulls;
    midPull = () => d.engine.nudge();
    d.engine.nudge();
    await vi.waitFor(() => expect(pulls).toBe(before + 2), { timeout: 30_000 });
  });

  it('sends a stream with heartbeats, and nudges only the hall that changed', async () => {
    const a = await stream((await enroll(hallA)).token);
    const b = await stream((await enroll(hallB)).token);
    expect(a.status).toBe(200);
    expect(a.contentType).toMatch(/^text\/event-stream/);
    await addClerk(central.admin, 'k-a1', hallA, '甲');
    await vi.waitFor(() => expect(a.pulls()).toBe(1));
    // Notifications arrive in commit order: once B has its own nudge, one for A's change would be there too.
    await addClerk(central.admin, 'k-b1', hallB, '乙');
    await vi.waitFor(() => expect(b.pulls()).toBe(1));
    expect(a.pulls()).toBe(1);
    // A row of every hall nudges both.
    await central.admin.putRef('holiday', '2026-12-25', {
      hallId: null,
      data: { date: '2026-12-25', workday: false, name: '测试' },
    });
    await vi.waitFor(() => expect([a.pulls(), b.pulls()]).toEqual([2, 2]));
  });

  it("nudges a leader's devices only for that leader's content", async () => {
    const leaderX = await central.admin.leader(hallA);
    const leaderY = await central.admin.leader(hallA);
    const x = await stream((await enroll(hallA, 'leader', leaderX)).token);
    const y = await stream((await enroll(hallA, 'leader', leaderY)).token);
    const counter = await stream((await enroll(hallA)).token);
    await central.admin.putRef('leader.briefing', crypto.randomUUID(), {
      hallId: hallA,
      leaderId: leaderX,
      data: briefing(),
    });
    await vi.waitFor(() => expect(x.pulls()).toBe(1));
    await addClerk(central.admin, 'k-a2', hallA, '丙');
    await vi.waitFor(() => expect([x.pulls(), y.pulls(), counter.pulls()]).toEqual([2, 1, 1]));
  });

  it('refuses a revoked token and closes its open streams; a reconnecting device keeps at most two', async () => {
    const { deviceId, token } = await enroll(hallB);
    const first = await stream(token);
    const second = await stream(token);
    const third = await stream(token);
    await vi.waitFor(() => expect(first.ended()).toBe(true));
    expect([second.ended(), third.ended()]).toEqual([false, false]);

    expect((await central.admin.request('POST', `/admin/v1/devices/${deviceId}/revoke`)).status).toBe(200);
    await vi.waitFor(() => expect([second.ended(), third.ended()]).toEqual([true, true]));
    expect((await stream(token)).status).toBe(401);
    expect((await stream('not-a-token')).status).toBe(401);
  });

  it('a device reconnects a dropped stream (central restarted) and is nudged through the new one', async () => {
    let opened = 0;
    const counting: typeof fetch = (input, init) => {
      if (String(input instanceof Request ? input.url : input).endsWith(NUDGES_PATH)) opened++;
      return fetch(input, init);
    };
    const d = await device('reconnecting', counting);
    await d.engine.enroll(central.url, await central.admin.code(hallB, 'counter'));
    d.engine.start();
    await settled(d);
    expect(opened).toBe(1);
    await central.restart({ mutations: [testNote] });
    await vi.waitFor(() => expect(opened).toBeGreaterThanOrEqual(2), { timeout: 30_000 });
    await settled(d);
    await addClerk(central.admin, 'k-after', hallB, '丁');
    await vi.waitFor(() => expect(d.staff.byId('k-after')).toBeDefined(), { timeout: 30_000, interval: 20 });
  });

  describe('two central processes on one database', () => {
    let second: FastifyInstance;
    let secondUrl: string;
    beforeAll(async () => {
      second = await buildCentral({
        pool: central.pool,
        adminToken: ADMIN_TOKEN,
        registry: createMutationRegistry([testNote]),
        nudges: { heartbeatMs: 100, listenRetryMs: 100 },
      });
      await second.listen({ host: '127.0.0.1', port: 0 });
      secondUrl = `http://127.0.0.1:${(second.server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      for (const s of streams) s.close();
      await second.close();
    });

    it('a change committed through one nudges a stream held by the other', async () => {
      const s = await stream((await enroll(hallA, 'counter', null, secondUrl)).token, secondUrl);
      await vi.waitFor(() => expect(s.heartbeats()).toBeGreaterThanOrEqual(2));
      await addClerk(centralAdmin(central.url), 'k-other', hallA, '戊');
      await vi.waitFor(() => expect(s.pulls()).toBe(1));
    });

    it('a revocation through one closes the stream held by the other', async () => {
      const { deviceId, token } = await enroll(hallA, 'counter', null, secondUrl);
      const s = await stream(token, secondUrl);
      await central.admin.request('POST', `/admin/v1/devices/${deviceId}/revoke`);
      await vi.waitFor(() => expect(s.ended()).toBe(true));
    });

    it('a process that lost its LISTEN connection listens again and ends its streams, so devices pull', async () => {
      const { token } = await enroll(hallA, 'counter', null, secondUrl);
      const before = await stream(token, secondUrl);
      await central.pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
      );
      await vi.waitFor(() => expect(before.ended()).toBe(true), { timeout: 30_000 });
      const after = await stream(token, secondUrl);
      await addClerk(central.admin, 'k-relisten', hallA, '己');
      await vi.waitFor(() => expect(after.pulls()).toBe(1));
      expect(before.pulls()).toBe(0);
    });
  });
});
