import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { orderCandidates } from '../../electron/core/queue/ordering';
import { countsAround } from '../fixtures/ahead-counts';
import { startQueueCore } from '../fixtures/queue-core';

type Q = Awaited<ReturnType<typeof startQueueCore>>;
let q: Q;
beforeEach(async () => {
  q = await startQueueCore();
});
afterEach(() => q.stop());

const logRow = (mutationId: string) =>
  q.db.prepare<[string], { result: string }>('SELECT result FROM command_log WHERE mutation_id = ?').get(mutationId);

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
    q.db.prepare('UPDATE command_log SET result = ? WHERE mutation_id = ?').run(JSON.stringify(view), input.mutationId);
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
      .run(JSON.stringify(issued), input.mutationId);
    expect(q.queue.issue(input, q.kiosk)).toEqual(issued);
  });

  it('forgets answers older than a week when the hall day turns', () => {
    q.setNow('2026-03-02T02:00:00.000Z');
    q.issue();
    const put = q.db.prepare("INSERT INTO command_log (mutation_id, method, result, at) VALUES (?, 'x', '{}', ?)");
    put.run('old-command', '2026-02-20T02:00:00.000Z');
    q.advance(24 * 3600_000);
    q.issue();
    const ids = q.db.prepare<[], { mutation_id: string }>('SELECT mutation_id FROM command_log').all();
    expect(ids.map((r) => r.mutation_id)).not.toContain('old-command');
    expect(ids.length).toBeGreaterThanOrEqual(2);
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
