import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COUNTER_VIEW_WAITING_LIMIT } from '@shared/api';
import { orderCandidates } from '../../electron/core/queue/ordering';
import type { TicketRecord } from '../../electron/core/store/queue-store';
import { startQueueCore } from '../fixtures/queue-core';

/**
 * "Call next" and the counter's view read only the head of each group of the call order (store/
 * waiting-queries.ts). Checked here against the whole order computed from every waiting ticket, over a
 * hall whose line mixes every kind of ticket: walk-ins and priorities in several queues, appointments due,
 * early and late, tickets transferred to this counter and to another, ties in arrival time.
 */
type Q = Awaited<ReturnType<typeof startQueueCore>>;
let q: Q;
beforeEach(async () => {
  q = await startQueueCore();
});
afterEach(() => q.stop());

const W1_QUEUES = ['general', 'social', 'fund'];

/** A small deterministic generator: the same hall every run, varied enough to mix every group. */
function lcg(seed: number) {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function appointment(queueId: string, startOffsetMin: number) {
  const start = q.now().getTime() + startOffsetMin * 60_000;
  return q.queue.createAppointment({
    queueId,
    windowStart: new Date(start).toISOString(),
    windowEnd: new Date(start + 20 * 60_000).toISOString(),
    applicantType: 'person',
  }).code;
}

function fillHall(n: number, random: () => number) {
  const codes: { code: string; at: number }[] = [];
  for (let i = 0; i < n; i++) {
    const r = random();
    const queueId = ['general', 'social', 'fund', 'property'][Math.floor(random() * 4)]!;
    if (r < 0.08) {
      // Due now, due later in the run, or checked in early (never due before its window).
      const offset = [-10, 15, 25][Math.floor(random() * 3)]!;
      codes.push({ code: appointment(queueId, offset), at: 0 });
      q.queue.checkIn({ mutationId: q.m(), code: codes.at(-1)!.code }, q.kiosk);
    } else q.issue(queueId, r < 0.35 ? 'elderly' : 'none');
    // Some tickets arrive in the same millisecond: the order breaks ties by sequence, then id.
    if (random() < 0.7) q.advance(Math.floor(random() * 40_000));
  }
}

/** Every waiting ticket w1 may call, in the hall's order, computed from the whole line. */
function wholeOrder(day: string): TicketRecord[] {
  const callable = q.store
    .ticketsInState(day, 'waiting')
    .filter((t) => (t.targetCounterId === null ? W1_QUEUES.includes(t.queueId) : t.targetCounterId === 'w1'));
  return orderCandidates(callable, {
    nowMs: q.now().getTime(),
    priorityStreak: q.store.priorityStreak(day, 'w1'),
    priorityStreakLimit: q.queue.settings().priorityStreakLimit,
  });
}

describe('call next and the counter view from the head of the line', () => {
  it('match the whole order, call after call, while appointments fall due and tickets are transferred', () => {
    const random = lcg(20261206);
    fillHall(160, random);
    // w2 sends two of its tickets to w1 and one to w3 (only w1's are w1's to call).
    q.signIn('w2');
    for (const to of ['w1', 'w3', 'w1']) {
      const called = q.queue.callNext({ mutationId: q.m(), counterId: 'w2' }, q.clerk('w2')).current!;
      q.queue.transfer({ mutationId: q.m(), counterId: 'w2', ticketId: called.id, toCounterId: to }, q.clerk('w2'));
    }
    const day = q.store.ticket(q.issue().id)!.hallDay;
    q.signIn('w1');

    for (let round = 0; round < 40; round++) {
      const expected = wholeOrder(day);
      const view = q.queue.view('w1', q.clerk('w1'));
      expect(view.waiting.map((t) => t.number)).toEqual(
        expected.slice(0, COUNTER_VIEW_WAITING_LIMIT).map((t) => t.number),
      );
      expect(view.waitingTotal).toBe(expected.length);
      expect(view.oldestArrivedAt).toBe(expected.map((t) => t.arrivedAt).sort()[0]);

      const called = q.queue.callNext({ mutationId: q.m(), counterId: 'w1' }, q.clerk('w1')).current!;
      expect(called.id, `round ${round}`).toBe(expected[0]!.id);
      q.queue.start({ mutationId: q.m(), counterId: 'w1', ticketId: called.id }, q.clerk('w1'));
      q.queue.finish({ mutationId: q.m(), counterId: 'w1', ticketId: called.id }, q.clerk('w1'));
      // Time moves on (appointments come due, others pass) and the kiosks keep issuing.
      q.advance(Math.floor(random() * 90_000));
      if (round % 3 === 0) fillHall(2, random);
    }
  });

  it('calls a ticket the view does not list, logging whom the order would have called', () => {
    for (let i = 0; i < COUNTER_VIEW_WAITING_LIMIT + 20; i++) {
      q.issue();
      q.advance(1000);
    }
    q.signIn('w1');
    const view = q.queue.view('w1', q.clerk('w1'));
    expect(view.waiting).toHaveLength(COUNTER_VIEW_WAITING_LIMIT);
    expect(view.waitingTotal).toBe(COUNTER_VIEW_WAITING_LIMIT + 20);
    const day = view.waiting[0]!.hallDay;
    const last = wholeOrder(day).at(-1)!;
    expect(view.waiting.map((t) => t.id)).not.toContain(last.id);

    const after = q.queue.callSpecific({ mutationId: q.m(), counterId: 'w1', ticketId: last.id }, q.clerk('w1'));
    expect(after.current?.id).toBe(last.id);
    const logged = q.db
      .prepare<[string], { detail: string }>("SELECT detail FROM ticket_events WHERE ticket_id = ? AND action = 'call'")
      .get(last.id)!;
    expect(JSON.parse(logged.detail)).toEqual({ specific: true, outOfOrder: true, next: view.waiting[0]!.number });
  });

  it('refuses to call a ticket of a queue the counter does not serve, or one sent to another counter', () => {
    const property = q.issue('property');
    q.signIn('w1');
    expect(() =>
      q.queue.callSpecific({ mutationId: q.m(), counterId: 'w1', ticketId: property.id }, q.clerk('w1')),
    ).toThrow(expect.objectContaining({ details: expect.objectContaining({ reason: 'NOT_CALLABLE_HERE' }) }));
  });

  it('reads each group from its index, never the whole line (the query plans)', () => {
    const plans = ["AND (priority <> 'none') = 0", "AND (priority <> 'none') = 1"].map((group) =>
      q.db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT * FROM tickets WHERE hall_day = '2026-03-02' AND queue_id = 'general' AND target_counter_id IS NULL AND state = 'waiting'
           ${group} AND NOT (appt_start_ms > 0 AND appt_start_ms <= 5 AND 5 <= appt_end_ms)
           ORDER BY arrived_ms, seq, id LIMIT 50`,
        )
        .all()
        .map((r) => (r as { detail: string }).detail)
        .join(' | '),
    );
    for (const plan of plans) {
      expect(plan).toContain('USING INDEX tickets_call_order');
      expect(plan).not.toContain('TEMP B-TREE');
    }
  });
});
