import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketStats } from '@shared/api';
import type { ArchivedSession, ArchivedTicket, QueueDayArchivedArgs } from '@shared/sync/mutations/queue';
import { mutationDefs } from '@shared/sync/mutations';
import { SYNC_SCHEMA_HEADER } from '@shared/sync/wire';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { startCentral, type TestCentral } from '../fixtures/central-server';

const DAY = '2026-03-02';
const GENERAL = { id: 'general', nameZh: '综合', nameEn: 'General', sortOrder: 1 };
const W1 = { id: 'w1', number: 1, name: '1号窗口' };

/**
 * A hub restored from a backup taken during a day archives that day again at its next reset, with an
 * older copy of the day's tickets than central holds: central keeps whichever row is further along, so
 * tickets served after the backup stay served and the day's statistics never shrink.
 */
describe('central: a day archived again by a restored hub', () => {
  let central: TestCentral;
  let token: string;

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs] });
    const hall = await central.admin.createHall('RVARC');
    const code = await central.admin.code(hall.id, 'hub');
    const res = await fetch(`${central.url}/sync/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, deviceName: 'hub-raw' }),
    });
    token = ((await res.json()) as { token: string }).token;
  });
  afterAll(async () => {
    await central.stop();
  });

  const call = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
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
  const archive = async (
    replicaId: string,
    tickets: ArchivedTicket[],
    more: Partial<Pick<QueueDayArchivedArgs, 'hallDay' | 'queues' | 'counters' | 'sessions'>> = {},
  ) => {
    const args: QueueDayArchivedArgs = {
      hallDay: DAY,
      chunk: 0,
      chunks: 1,
      queues: [GENERAL],
      counters: [W1],
      tickets,
      sessions: [],
      ...more,
    };
    const r = await call('POST', '/sync/v1/push', {
      mutations: [
        {
          replicaId,
          seq: 1,
          mutationId: crypto.randomUUID(),
          name: 'queue.day.archived',
          version: 1,
          args,
          entityId: `queue-day:${args.hallDay}:0`,
          schemaVersion: SYNC_SCHEMA_VERSION,
          deviceTime: new Date().toISOString(),
        },
      ],
    });
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.json)).toContain('"applied"');
  };
  const stats = async (day = DAY) => {
    const r = await call('GET', `/sync/v1/insight/tickets?from=${day}&to=${day}&tz=Asia%2FShanghai`);
    expect(r.status).toBe(200);
    return r.json as TicketStats;
  };

  it('keeps a served ticket served when an older copy of its day arrives', async () => {
    const id = crypto.randomUUID();
    const issued = { id, queueId: 'general', parentId: null, counterId: null, issuedAt: '2026-03-02T01:00:00.000Z' };
    // The hub archived the day with the ticket served.
    await archive(crypto.randomUUID(), [
      {
        ...issued,
        state: 'done',
        counterId: 'w1',
        firstCalledAt: '2026-03-02T01:05:00.000Z',
        serviceStartedAt: '2026-03-02T01:06:00.000Z',
        finishedAt: '2026-03-02T01:16:00.000Z',
        finishedBy: null,
      },
    ]);
    expect((await stats()).totals).toMatchObject({ issued: 1, called: 1, served: 1 });

    // Restored from the backup of 09:02 Shanghai, the hub (a new replica) archives the day again.
    await archive(crypto.randomUUID(), [
      { ...issued, state: 'waiting', firstCalledAt: null, serviceStartedAt: null, finishedAt: null, finishedBy: null },
    ]);
    expect((await stats()).totals).toMatchObject({ issued: 1, called: 1, served: 1 });
  });

  const ticket = (day: string, over: Partial<ArchivedTicket> = {}): ArchivedTicket => ({
    id: crypto.randomUUID(),
    queueId: 'general',
    parentId: null,
    state: 'waiting',
    counterId: null,
    issuedAt: `${day}T01:00:00.000Z`,
    firstCalledAt: null,
    serviceStartedAt: null,
    finishedAt: null,
    finishedBy: null,
    ...over,
  });

  it('keeps a no-show that was reactivated and served served', async () => {
    const day = '2026-03-03';
    const t = ticket(day);
    await archive(
      crypto.randomUUID(),
      [
        {
          ...t,
          state: 'done',
          counterId: 'w1',
          firstCalledAt: `${day}T01:30:00.000Z`,
          serviceStartedAt: `${day}T01:31:00.000Z`,
          finishedAt: `${day}T01:40:00.000Z`,
        },
      ],
      { hallDay: day },
    );
    const before = await stats(day);
    expect(before.totals).toMatchObject({ issued: 1, called: 1, served: 1, noShow: 0 });

    // Backups taken while it was a no-show, then reactivated and waiting again.
    await archive(
      crypto.randomUUID(),
      [{ ...t, state: 'no_show', counterId: 'w1', firstCalledAt: `${day}T01:05:00.000Z` }],
      {
        hallDay: day,
      },
    );
    await archive(crypto.randomUUID(), [{ ...t, state: 'waiting', firstCalledAt: `${day}T01:05:00.000Z` }], {
      hallDay: day,
    });
    expect(await stats(day)).toEqual(before);
  });

  it('still takes a report that is further along, a reactivation included', async () => {
    const day = '2026-03-04';
    const t = ticket(day);
    await archive(
      crypto.randomUUID(),
      [{ ...t, state: 'no_show', counterId: 'w1', firstCalledAt: `${day}T01:05:00.000Z` }],
      {
        hallDay: day,
      },
    );
    expect((await stats(day)).totals).toMatchObject({ issued: 1, called: 1, served: 0, noShow: 1 });

    await archive(crypto.randomUUID(), [{ ...t, state: 'waiting', firstCalledAt: `${day}T01:05:00.000Z` }], {
      hallDay: day,
    });
    expect((await stats(day)).totals).toMatchObject({ issued: 1, called: 1, served: 0, noShow: 0 });

    await archive(
      crypto.randomUUID(),
      [{ ...t, state: 'called', counterId: 'w1', firstCalledAt: `${day}T01:30:00.000Z` }],
      {
        hallDay: day,
      },
    );
    await archive(
      crypto.randomUUID(),
      [{ ...t, state: 'no_show', counterId: 'w1', firstCalledAt: `${day}T01:30:00.000Z` }],
      {
        hallDay: day,
      },
    );
    expect((await stats(day)).totals).toMatchObject({ issued: 1, called: 1, served: 0, noShow: 1 });
  });

  it('keeps a transfer, its child, a closed sign-in and a queue added after the backup', async () => {
    const day = '2026-03-05';
    const extra = { id: 'extra', nameZh: '加急', nameEn: 'Express', sortOrder: 2 };
    const w2 = { id: 'w2', number: 2, name: '2号窗口' };
    const parent = ticket(day);
    const child = ticket(day, { parentId: parent.id, issuedAt: `${day}T01:06:00.000Z` });
    const express = ticket(day, { queueId: 'extra', issuedAt: `${day}T01:20:00.000Z` });
    const clerk = { clerkId: 'c1', name: '张三' };
    const session: ArchivedSession = {
      counterId: 'w2',
      clerkId: 'c1',
      clerkName: '张三',
      signedInAt: `${day}T00:50:00.000Z`,
      signedOutAt: `${day}T02:00:00.000Z`,
    };
    const served = (t: ArchivedTicket, counterId: string, minute: number): ArchivedTicket => ({
      ...t,
      state: 'done',
      counterId,
      firstCalledAt: `${day}T01:${minute}:00.000Z`,
      serviceStartedAt: `${day}T01:${minute + 1}:00.000Z`,
      finishedAt: `${day}T01:${minute + 5}:00.000Z`,
      finishedBy: { ...clerk, at: `${day}T01:${minute + 5}:00.000Z` },
    });
    await archive(
      crypto.randomUUID(),
      [
        { ...parent, state: 'transferred', counterId: 'w1', firstCalledAt: `${day}T01:05:00.000Z` },
        served(child, 'w2', 10),
        served(express, 'w2', 30),
      ],
      { hallDay: day, queues: [GENERAL, extra], counters: [W1, w2], sessions: [session] },
    );
    const before = await stats(day);
    expect(before.totals).toMatchObject({ served: 2 });
    expect(before.byQueue.map((q) => q.queueId)).toEqual(['general', 'extra']);

    // The backup of 09:05 Shanghai: the parent just called, no child, no express queue, the sign-in open.
    await archive(
      crypto.randomUUID(),
      [{ ...parent, state: 'called', counterId: 'w1', firstCalledAt: `${day}T01:05:00.000Z` }],
      { hallDay: day, sessions: [{ ...session, signedOutAt: null }] },
    );
    expect(await stats(day)).toEqual(before);
  });
});
