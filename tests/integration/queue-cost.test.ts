import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { orderCandidates } from '../../electron/core/queue/ordering';
import { countsAround } from '../fixtures/ahead-counts';
import { createCommandLogStore } from '../../electron/core/store/command-log-store';
import { packId, type PackedId } from '../../electron/core/store/packed-keys';
import { startQueueCore } from '../fixtures/queue-core';

type Q = Awaited<ReturnType<typeof startQueueCore>>;
let q: Q;
beforeEach(async () => {
  q = await startQueueCore();
});
afterEach(() => q.stop());

const logRow = (mutationId: string) =>
  q.db
    .prepare<[PackedId], { result: string }>('SELECT result FROM command_log WHERE mutation_id = ?')
    .get(packId(mutationId));

describe('the command log keeps what a retry needs', () => {
  it('keeps a counter command as its counter, not its waiting list, and a retry answers the view of now', () => {
    for (let i = 0; i < 300; i++) q.issue();
    q.signIn('w1');
    const input = { mutationId: q.m(), counterId: 'w1' };
    const first = q.queue.callNext(input, q.clerk('w1'));
    expect(first.waitingTotal).toBe(299);
    expect(logRow(input.mutationId)!.result.length).toBeLessThan(100);

    q.issue();
    const again = q.queue.callNext(input, q.clerk('w1'));
    // The same call, not a second one: the same ticket is current, and the list is today's.
    expect(again.current?.id).toBe(first.current?.id);
    expect(again.waitingTotal).toBe(300);
  });

  it('still answers a retry from a row that holds a whole view (written before this change)', () => {
    q.signIn('w1');
    q.issue();
    const input = { mutationId: q.m(), counterId: 'w1' };
    const view = q.queue.callNext(input, q.clerk('w1'));
    q.db
      .prepare('UPDATE command_log SET result = ? WHERE mutation_id = ?')
      .run(JSON.stringify(view), packId(input.mutationId));
    expect(q.queue.callNext(input, q.clerk('w1'))).toEqual(view);
  });

  it('keeps an issued ticket as its id, and a retry answers with that ticket as it stands then', () => {
    const first = q.issue();
    const input = {
      mutationId: q.m(),
      queueId: 'general',
      applicantType: 'person' as const,
      priority: 'none' as const,
    };
    const issued = q.queue.issue(input, q.kiosk);
    expect(issued.peopleAhead).toBe(1);
    expect(logRow(input.mutationId)!.result.length).toBeLessThan(100);

    // The ticket ahead is served meanwhile: the same call again is the same ticket, one fewer ahead of it.
    q.signIn('w1');
    expect(q.queue.callNext({ mutationId: q.m(), counterId: 'w1' }, q.clerk('w1')).current?.id).toBe(first.id);
    const again = q.queue.issue(input, q.kiosk);
    expect(again.ticket.id).toBe(issued.ticket.id);
    expect(again.ticket.number).toBe(issued.ticket.number);
    expect(again.peopleAhead).toBe(0);
    expect(q.store.ticketsInState(issued.ticket.hallDay, 'waiting')).toHaveLength(1);
  });

  it('still answers an issue retried from a row that holds the whole ticket (written before this change)', () => {
    const input = {
      mutationId: q.m(),
      queueId: 'general',
      applicantType: 'person' as const,
      priority: 'none' as const,
    };
    const issued = q.queue.issue(input, q.kiosk);
    q.db
      .prepare('UPDATE command_log SET result = ? WHERE mutation_id = ?')
      .run(JSON.stringify(issued), packId(input.mutationId));
    expect(q.queue.issue(input, q.kiosk)).toEqual(issued);
  });

  it('forgets answers older than a day when the hall day turns, and keeps those of the last day', () => {
    q.setNow('2026-03-02T02:00:00.000Z');
    q.issue();
    const log = createCommandLogStore(q.db);
    log.put('old-command', 'x', {}, '2026-02-20T02:00:00.000Z');
    log.put('day-old-command', 'x', {}, '2026-03-02T01:00:00.000Z');
    log.put('recent-command', 'x', {}, '2026-03-02T03:00:00.000Z');
    q.advance(24 * 3600_000);
    q.issue();
    const ids = q.db
      .prepare<[], { mutation_id: string }>('SELECT mutation_id FROM command_log')
      .all()
      .map((r) => r.mutation_id);
    expect(ids).not.toContain('old-command');
    expect(ids).not.toContain('day-old-command');
    expect(ids).toContain('recent-command');
    expect(ids.length).toBeGreaterThanOrEqual(3);
  });
});

describe('people ahead, counted by the store', () => {
  it('equals the place in the call order for every waiting ticket: walk-ins, priorities and appointments', () => {
    q.setNow('2026-03-02T02:00:00.000Z');
    const windows = [-20, -5, 10, 25];
    for (let i = 0; i < 40; i++) {
      if (i % 7 === 3) {
        const start = Date.parse('2026-03-02T02:00:00.000Z') + windows[i % windows.length]! * 60_000;
        const { code } = q.queue.createAppointment({
          queueId: 'general',
          windowStart: new Date(start).toISOString(),
          windowEnd: new Date(start + 30 * 60_000).toISOString(),
          applicantType: 'person',
        });
        q.queue.checkIn({ mutationId: q.m(), code }, q.kiosk);
      } else q.issue('general', i % 3 === 1 ? 'elderly' : 'none');
      q.advance(i % 4 === 0 ? 0 : 20_000);
    }
    const waiting = q.store.ticketsInState(q.store.ticket(q.issue('general').id)!.hallDay, 'waiting');
    const nowMs = Date.parse('2026-03-02T02:00:00.000Z') + 40 * 20_000;
    q.setNow(new Date(nowMs).toISOString());
    for (const t of waiting) {
      expect(q.store.aheadCounts(t, nowMs)).toEqual(countsAround(t, waiting, nowMs));
      const limit = q.queue.settings().priorityStreakLimit;
      const order = orderCandidates(waiting, { nowMs, priorityStreak: 0, priorityStreakLimit: limit });
      expect(q.queue.ticket(t.id).peopleAhead).toBe(order.indexOf(t));
    }
  });
});

/** The text of every statement run while `fn` runs, in order. */
function statementsRun(fn: () => void): string[] {
  type Run = (this: { source: string }, ...args: unknown[]) => unknown;
  const proto = Object.getPrototypeOf(q.db.prepare('SELECT 1')) as Record<'all' | 'get' | 'run', Run>;
  const seen: string[] = [];
  const spies = (['all', 'get', 'run'] as const).map((m) => {
    const original = proto[m];
    return vi.spyOn(proto, m).mockImplementation(function (this: { source: string }, ...args: unknown[]) {
      seen.push(this.source);
      return original.apply(this, args);
    });
  });
  try {
    fn();
  } finally {
    for (const s of spies) s.mockRestore();
  }
  return seen;
}

describe('the statements of a counter command', () => {
  it('bind no LIMIT and read the heads of all the counter’s queues in one statement', () => {
    // A LIMIT bound as a parameter cost each run ~20 µs beyond its rows, and the heads were read three
    // statements a queue: "call next" spent 0.4 ms finding its one next ticket.
    for (let i = 0; i < 30; i++) {
      const t = q.issue(['general', 'property', 'social', 'fund'][i % 4]!, i % 5 === 0 ? 'elderly' : 'none');
      if (i % 3 === 0) q.queue.smsOptIn({ mutationId: q.m(), ticketId: t.id, phone: '13800138000' });
    }
    q.signIn('w12');
    const served = q.store.counter('w12')!.queueIds;
    expect(served.length).toBeGreaterThan(1);
    const run = statementsRun(() => q.queue.callNext({ mutationId: q.m(), counterId: 'w12' }, q.clerk('w12')));
    expect(run.filter((sql) => /LIMIT\s*[@:$?]/i.test(sql))).toEqual([]);
    const headReads = run.filter((sql) => /ORDER BY arrived_ms, seq, id LIMIT/.test(sql));
    // Once for the ticket to call, once for the view's list.
    expect(headReads).toHaveLength(2);
  });
});

describe('the statements of an issue', () => {
  it('read the settings once and never read back the ticket just written', () => {
    // The settings row was read four times an issue, and the answer re-read the ticket the insert returned.
    for (let i = 0; i < 5; i++) q.issue('general');
    const run = statementsRun(() => q.issue('general'));
    expect(run.filter((sql) => /FROM queue_settings/.test(sql))).toHaveLength(1);
    expect(run.filter((sql) => /FROM tickets WHERE id = \?/.test(sql))).toEqual([]);
  });
});

describe('the settings a transaction holds', () => {
  it('are read again after a write, and after a nested transaction that wrote them rolled back', () => {
    const zone = q.store.settings()!.timeZone;
    q.store.transaction(() => {
      expect(q.store.settings()!.timeZone).toBe(zone);
      q.store.putSettings({ ...q.store.settings()!, timeZone: 'Asia/Urumqi' });
      expect(q.store.settings()!.timeZone).toBe('Asia/Urumqi');
      expect(() =>
        q.store.transaction(() => {
          q.store.putSettings({ ...q.store.settings()!, timeZone: 'Asia/Hong_Kong' });
          expect(q.store.settings()!.timeZone).toBe('Asia/Hong_Kong');
          throw new Error('refused');
        }),
      ).toThrow('refused');
      expect(q.store.settings()!.timeZone).toBe('Asia/Urumqi');
      q.store.setCurrentDay('2031-01-02');
      expect(q.store.settings()!.currentHallDay).toBe('2031-01-02');
    });
    expect(q.store.settings()).toMatchObject({ timeZone: 'Asia/Urumqi', currentHallDay: '2031-01-02' });
    expect(() =>
      q.store.transaction(() => {
        q.store.putSettings({ ...q.store.settings()!, timeZone: zone });
        q.store.settings();
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(q.store.settings()!.timeZone).toBe('Asia/Urumqi');
  });
});

describe('the wait a kiosk shows', () => {
  it('is the line’s service time shared by the open counters serving the queue, and no other counter', () => {
    for (let i = 0; i < 20; i++) q.issue('general');
    const wait = () => q.queue.kioskQueues().find((k) => k.id === 'general')!.estimatedWaitMinutes;
    const alone = Math.ceil((20 * q.store.queue('general')!.avgServiceSeconds) / 60);
    const counters = q.store.counters();
    const serving = counters.filter((c) => c.queueIds.includes('general')).map((c) => c.id);
    const other = counters.find((c) => !c.queueIds.includes('general'))!.id;
    expect(serving.length).toBeGreaterThan(1);
    expect(wait()).toBe(alone);
    q.signIn(serving[0]!);
    expect(wait()).toBe(alone);
    q.signIn(other);
    expect(wait()).toBe(alone);
    q.signIn(serving[1]!);
    expect(wait()).toBe(Math.ceil((20 * q.store.queue('general')!.avgServiceSeconds) / 2 / 60));
  });
});
