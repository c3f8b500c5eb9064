import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../electron/core/api/caller';
import type { TicketStats } from '@shared/api';
import { deviceConfigSchema } from '@shared/config';
import { mutationDefs } from '@shared/sync/mutations';
import { SYNC_SCHEMA_HEADER } from '@shared/sync/wire';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { createCore, type Core } from '../../electron/core/app/create-core';
import { createFileSecretStore } from '../../electron/core/sync/secret-store';
import { CENTRAL_TOKEN_SECRET } from '../../electron/core/sync/sync-engine';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';
import { ADMIN_LOGIN, DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../fixtures/staff';
import { base32Decode, totp } from '../../electron/core/leader/totp';
import { decodeArgs } from '../../electron/core/store/outbox-args';
import { OUTBOX_ROWS } from '../fixtures/outbox-rows';

const MIN = 60_000;
const DAY = '2026-03-02';
/** 10:00 on the next day in Shanghai: past the 03:00 reset, so DAY is in history. */
const NEXT_DAY = '2026-03-03T02:00:00.000Z';
const w2: Caller = { role: 'counter', transport: 'ipc', origin: 'counter-window-2' };

/**
 * A hall hub (the whole core, owning its queue) archives a day of tickets at the reset and syncs; central's
 * statistics of that day are the hub's own. Another hall's days never mix in, a replayed push counts once,
 * and a dashboard whose hub is unreachable shows central's numbers.
 */
describe('ticket history at central', () => {
  let central: TestCentral;
  let hallA: { id: string }, hallB: { id: string };
  let hubA: IntakeCore, hubB: IntakeCore;
  let oracleA: TicketStats;

  const tokenOf = (t: IntakeCore) => createFileSecretStore(path.join(t.dataDir, 'secrets')).get(CENTRAL_TOKEN_SECRET)!;
  const sync = async (t: IntakeCore) => {
    expect(await t.core.sync.runOnce()).toBe('ok');
    expect(t.core.sync.status().pendingCount).toBe(0);
  };
  const request = async (token: string, method: 'GET' | 'POST', url: string, body?: unknown) => {
    const res = await fetch(`${central.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        [SYNC_SCHEMA_HEADER]: String(SYNC_SCHEMA_VERSION),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as unknown };
  };
  const atCentral = (t: IntakeCore, from = DAY, to = from) =>
    t.core.sync.ticketStats({ from, to, tz: 'Asia/Shanghai' });
  const atHub = (t: IntakeCore, from = DAY, to = from) => t.asAdmin('queue.insight.tickets', { from, to });
  const enrollRaw = async (hallId: string, role: string) => {
    const code = await central.admin.code(hallId, role, role === 'leader' ? await central.admin.leader(hallId) : null);
    const res = await fetch(`${central.url}/sync/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, deviceName: `${role}-raw` }),
    });
    return ((await res.json()) as { token: string }).token;
  };

  /**
   * At w1 (clerk01, signed in by the fixture at 10:00, never signs out) and w2 (clerk02, 10:00–11:00):
   * served tickets in two queues, a transfer to another queue served as its follow-up, a no-show, a
   * ticket never called.
   */
  async function seedDay(t: IntakeCore) {
    const settings = await t.asAdmin('queue.settings.get', {});
    await t.asAdmin('queue.settings.update', { ...settings, noShowAfterCalls: 1, noShowGraceSeconds: 0 });
    await t.call('queue.counter.signIn', { counterId: 'w2', login: 'clerk02', pin: '123456' }, w2);
    const issue = async (queueId: string) =>
      (await t.call('queue.ticket.issue', { mutationId: t.m(), queueId, applicantType: 'person' }, t.kiosk)).ticket;
    const act = (
      action: 'queue.callTicket' | 'queue.start' | 'queue.finish' | 'queue.noShow',
      counterId: string,
      ticketId: string,
    ) => t.call(action, { mutationId: t.m(), counterId, ticketId }, counterId === 'w1' ? t.clerk : w2);
    const serve = async (counterId: string, ticketId: string, minutes: number) => {
      await act('queue.callTicket', counterId, ticketId);
      t.advance(MIN);
      await act('queue.start', counterId, ticketId);
      t.advance(minutes * MIN);
      await act('queue.finish', counterId, ticketId);
    };

    const g1 = await issue('general');
    const s1 = await issue('social');
    const g2 = await issue('general');
    const f1 = await issue('fund');
    await issue('general'); // never called
    t.advance(3 * MIN);
    await serve('w1', g1.id, 12);
    await serve('w2', s1.id, 7);
    // g2 goes on to the fund queue and is served there as its follow-up ticket.
    await act('queue.callTicket', 'w2', g2.id);
    const view = await t.call(
      'queue.transfer',
      { mutationId: t.m(), counterId: 'w2', ticketId: g2.id, toQueueId: 'fund' },
      w2,
    );
    const followUp = view.waiting.find((x) => x.queueId === 'fund' && x.number === g2.number)!;
    t.advance(4 * MIN);
    await serve('w2', followUp.id, 9);
    await act('queue.callTicket', 'w1', f1.id);
    await act('queue.noShow', 'w1', f1.id);
    t.advance(20 * MIN);
    await t.call('queue.counter.signOut', { mutationId: t.m(), counterId: 'w2' }, w2);
    t.advance(30 * MIN);
  }

  /** Moves the hub's clock past the reset and rolls the day over (a settings write runs the reset). */
  async function rollOver(t: IntakeCore) {
    t.setNow(NEXT_DAY);
    await t.asAdmin('queue.settings.update', await t.asAdmin('queue.settings.get', {}));
  }

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs] });
    hallA = await central.admin.createHall('TKTA');
    hallB = await central.admin.createHall('TKTB');
    hubA = await startIntakeCore(undefined, { hallCode: 'TKTA' });
    hubB = await startIntakeCore(undefined, { hallCode: 'TKTB' });
    await hubA.core.sync.enroll(central.url, await central.admin.code(hallA.id, 'hub'));
    await hubB.core.sync.enroll(central.url, await central.admin.code(hallB.id, 'hub'));
  }, 120_000);
  afterAll(async () => {
    hubA?.stop();
    hubB?.stop();
    await central?.stop();
  });

  it('a day crosses the reset, syncs, and central’s statistics of it equal the hub’s own', async () => {
    await seedDay(hubA);
    await rollOver(hubA);
    oracleA = await atHub(hubA);
    // The oracle is a real day: every part of the statistics has something in it.
    expect(oracleA.totals).toEqual({ issued: 5, called: 5, served: 3, noShow: 1, noShowRate: 1 / 5 });
    expect(oracleA.clerks.map((c) => [c.clerkId, c.served])).toEqual([
      ['clerk01', 1],
      ['clerk02', 2],
    ]);
    expect(oracleA.clerks.every((c) => c.onDutySeconds > c.serviceSeconds)).toBe(true);

    await sync(hubA);
    const outbox = hubA.peek.prepare(`SELECT status FROM outbox WHERE name = 'queue.day.archived'`).all() as {
      status: string;
    }[];
    expect(outbox).toEqual([{ status: 'applied' }]);

    expect(await atCentral(hubA)).toEqual(oracleA);
    // A range around the day: the empty day before adds nothing, at both ends.
    expect(await atCentral(hubA, '2026-03-01', DAY)).toEqual(await atHub(hubA, '2026-03-01', DAY));
  });

  it('a replayed push and the same chunk from a new replica count once', async () => {
    const rows = hubA.peek
      .prepare(
        `SELECT replica_id, seq, mutation_id, name, version, args, entity_id, schema_version, device_time
           FROM (${OUTBOX_ROWS}) WHERE name = 'queue.day.archived' ORDER BY write_order`,
      )
      .all() as {
      replica_id: string;
      seq: number;
      mutation_id: string;
      name: string;
      version: number;
      args: Buffer;
      entity_id: string;
      schema_version: number;
      device_time: string;
    }[];
    const wire = (r: (typeof rows)[number], replicaId = r.replica_id, seq = r.seq, mutationId = r.mutation_id) => ({
      replicaId,
      seq,
      mutationId,
      name: r.name,
      version: r.version,
      args: decodeArgs(r.args) as unknown,
      entityId: r.entity_id,
      schemaVersion: r.schema_version,
      deviceTime: r.device_time,
    });
    const token = tokenOf(hubA);
    const again = await request(token, 'POST', '/sync/v1/push', { mutations: rows.map((r) => wire(r)) });
    expect(again.status).toBe(200);
    // A restored hub archives the same day again under a new replica: applied, and still counted once.
    const restored = await request(token, 'POST', '/sync/v1/push', {
      mutations: rows.map((r, i) => wire(r, crypto.randomUUID(), i + 1, crypto.randomUUID())),
    });
    expect(restored).toMatchObject({ status: 200, json: { outcomes: [{ status: 'applied' }] } });
    expect(await atCentral(hubA)).toEqual(oracleA);
  });

  it('another hall’s days never show, even with the same ticket ids', async () => {
    await hubB.call(
      'queue.ticket.issue',
      { mutationId: hubB.m(), queueId: 'business', applicantType: 'organisation' },
      hubB.kiosk,
    );
    await rollOver(hubB);
    await sync(hubB);
    const oracleB = await atHub(hubB);
    expect(oracleB.totals.issued).toBe(1);
    expect(await atCentral(hubB)).toEqual(oracleB);
    expect(await atCentral(hubA)).toEqual(oracleA);

    // Hall B's hub sends hall A's very chunk: it lands in hall B, and hall A's numbers stay as they were.
    const argsA = decodeArgs(
      (hubA.peek.prepare(`SELECT args FROM outbox WHERE name = 'queue.day.archived'`).get() as { args: Buffer }).args,
    );
    const copied = await request(tokenOf(hubB), 'POST', '/sync/v1/push', {
      mutations: [
        {
          replicaId: crypto.randomUUID(),
          seq: 1,
          mutationId: crypto.randomUUID(),
          name: 'queue.day.archived',
          version: 1,
          args: argsA,
          entityId: null,
          schemaVersion: SYNC_SCHEMA_VERSION,
          deviceTime: NEXT_DAY,
        },
      ],
    });
    expect(copied).toMatchObject({ status: 200, json: { outcomes: [{ status: 'applied' }] } });
    expect(await atCentral(hubA)).toEqual(oracleA);
    expect((await atCentral(hubB)).totals.issued).toBe(oracleA.totals.issued + 1);
  });

  it('answers admin, leader and hub devices only, and refuses bad ranges with a typed 400', async () => {
    const url = (q: Record<string, string>) => `/sync/v1/insight/tickets?${new URLSearchParams(q)}`;
    const good = { from: DAY, to: DAY, tz: 'Asia/Shanghai' };
    expect(await request(await enrollRaw(hallA.id, 'counter'), 'GET', url(good))).toEqual({
      status: 403,
      json: { error: 'FORBIDDEN' },
    });
    // A public screen is stopped by its zone before its role is looked at (tests/security/security-zones).
    for (const role of ['kiosk', 'display']) {
      expect(await request(await enrollRaw(hallA.id, role), 'GET', url(good))).toMatchObject({
        status: 403,
        json: { error: 'ZONE_FORBIDDEN', zone: 'public' },
      });
    }
    for (const role of ['admin', 'leader']) {
      const answer = await request(await enrollRaw(hallA.id, role), 'GET', url(good));
      expect(answer).toEqual({ status: 200, json: oracleA });
    }
    expect((await request('not-a-token', 'GET', url(good))).status).toBe(401);

    const token = tokenOf(hubA);
    const cases: [Record<string, string>, string][] = [
      [{ ...good, from: '2026-3-2' }, 'from'],
      [{ ...good, from: '2026-03-03', to: DAY }, 'to'],
      [{ ...good, from: '2026-01-01', to: DAY }, 'to'],
      [{ ...good, tz: 'Mars/Olympus' }, 'tz'],
      [{ from: DAY, to: DAY }, 'tz'],
      [{ ...good, extra: '1' }, ''],
    ];
    for (const [bad, path] of cases) {
      expect(await request(token, 'GET', url(bad))).toMatchObject({
        status: 400,
        json: { error: 'INVALID_INPUT', issues: expect.arrayContaining([expect.objectContaining({ path })]) },
      });
    }
  });

  it('a dashboard whose hub is unreachable shows central’s archived numbers', async () => {
    const tmp = tempDir('ow-dash-');
    // A port nobody listens on: the hub is down.
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    fs.writeFileSync(path.join(tmp.dir, 'hub.token'), 'hub-token-of-this-admin-device');
    const config = deviceConfigSchema.parse({
      hall: { code: 'TKTA', name: '测试大厅' },
      deviceCode: 'A1',
      roles: ['admin'],
      demo: true,
      hub: { url: `http://127.0.0.1:${port}`, tokenFile: 'hub.token' },
    });
    let admin: Core | undefined;
    try {
      admin = await createCore({
        dataDir: tmp.dir,
        config,
        appVersion: 'test',
        now: () => new Date(NEXT_DAY),
        sync: { autoStart: false },
      });
      const caller: Caller = { role: 'admin', transport: 'ipc', origin: 'admin-window' };
      // The hub is down: the administrator signs in against this PC's own copy of the accounts.
      const signedIn = await admin.dispatch(caller, 'identity.signIn', {
        login: ADMIN_LOGIN,
        password: DEMO_PASSWORD,
        totp: totp(base32Decode(DEMO_TOTP_SECRET), Date.parse(NEXT_DAY)),
      });
      expect(signedIn).toMatchObject({ ok: true, value: { person: { login: ADMIN_LOGIN } } });
      const dashboard = async () => {
        const r = await admin!.dispatch(caller, 'insight.dashboard', { from: DAY, to: DAY });
        if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`);
        return r.value as { sources: { tickets: string | null }; tickets: TicketStats | null };
      };
      // Not enrolled: nobody can answer for the tickets.
      expect(await dashboard()).toMatchObject({ sources: { tickets: null }, tickets: null });

      await admin.sync.enroll(central.url, await central.admin.code(hallA.id, 'admin'));
      expect(await dashboard()).toMatchObject({ sources: { tickets: 'central' }, tickets: oracleA });
    } finally {
      admin?.close();
      tmp.remove();
    }
  });
});
