import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, contract } from '@shared/api';
import { packId } from '../../electron/core/store/packed-keys';
import { startQueueCore } from '../fixtures/queue-core';

type Q = Awaited<ReturnType<typeof startQueueCore>>;
let q: Q;
beforeEach(async () => {
  q = await startQueueCore();
});
afterEach(() => q.stop());

/** The refusal reason of a throwing call, or 'ok'. */
function reason(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return ((e as AppError).details as { reason?: string } | undefined)?.reason ?? (e as AppError).code;
  }
}

function cmd(counterId: string): { mutationId: string; counterId: string };
function cmd(counterId: string, ticketId: string): { mutationId: string; counterId: string; ticketId: string };
function cmd(counterId: string, ticketId?: string): { mutationId: string; counterId: string; ticketId?: string } {
  return { mutationId: q.m(), counterId, ...(ticketId ? { ticketId } : {}) };
}

describe('issuing', () => {
  it('numbers per queue and day from 001, and counts people ahead', () => {
    const a1 = q.queue.issue(
      { mutationId: q.m(), queueId: 'general', applicantType: 'person', priority: 'none' },
      q.kiosk,
    );
    const d1 = q.issue('social');
    const a2 = q.queue.issue(
      { mutationId: q.m(), queueId: 'general', applicantType: 'person', priority: 'none' },
      q.kiosk,
    );
    expect([a1.ticket.number, d1.number, a2.ticket.number]).toEqual(['A001', 'D001', 'A002']);
    expect([a1.peopleAhead, a2.peopleAhead]).toEqual([0, 1]);
    const elderly = q.queue.issue(
      { mutationId: q.m(), queueId: 'general', applicantType: 'person', priority: 'elderly' },
      q.kiosk,
    );
    expect(elderly.peopleAhead).toBe(0);
  });

  it('refuses a closed queue, a wrong applicant type and the daily maximum, storing nothing', () => {
    const general = q.store.queue('general')!;
    q.queue.upsertQueue({ ...general, opensAt: '08:30', closesAt: '09:00' }); // it is 10:00 in Shanghai
    expect(reason(() => q.issue('general'))).toBe('QUEUE_CLOSED');
    expect(reason(() => q.issue('business', 'none', 'person'))).toBe('NOT_FOR_APPLICANT_TYPE');
    q.queue.upsertQueue({ ...q.store.queue('fund')!, dailyMax: 2 });
    q.issue('fund');
    q.issue('fund');
    expect(reason(() => q.issue('fund'))).toBe('DAILY_LIMIT_REACHED');
    expect(q.queue.kpis().find((k) => k.queueId === 'fund')?.issued).toBe(2);
    expect(q.queue.kpis().find((k) => k.queueId === 'general')?.issued).toBe(0);
  });

  it('returns the first answer to a retried mutation id', () => {
    const input = {
      mutationId: q.m(),
      queueId: 'general',
      applicantType: 'person' as const,
      priority: 'none' as const,
    };
    const first = q.queue.issue(input, q.kiosk);
    const again = q.queue.issue(input, q.kiosk);
    expect(again.ticket.id).toBe(first.ticket.id);
    expect(q.queue.kpis().find((k) => k.queueId === 'general')?.issued).toBe(1);
  });
});

describe('a counter', () => {
  it('must be signed in from the same window, with the right PIN (a wrong one: WRONG_CREDENTIALS)', () => {
    expect(reason(() => q.queue.callNext(cmd('w1'), q.clerk('w1')))).toBe('NOT_SIGNED_IN');
    expect(reason(() => q.queue.signIn({ counterId: 'w1', login: 'clerk01', pin: '654321' }, q.clerk('w1')))).toBe(
      'WRONG_CREDENTIALS',
    );
    q.signIn('w1');
    expect(reason(() => q.queue.callNext(cmd('w1'), q.clerk('w2')))).toBe('NOT_SIGNED_IN');
  });

  it('locks a clerk out after five wrong PINs (the leader pane’s schedule: the fifth failure locks)', () => {
    for (let i = 0; i < 5; i++)
      reason(() => q.queue.signIn({ counterId: 'w1', login: 'clerk02', pin: '000001' }, q.clerk('w1')));
    expect(reason(() => q.queue.signIn({ counterId: 'w1', login: 'clerk02', pin: '123456' }, q.clerk('w1')))).toBe(
      'ACCOUNT_LOCKED',
    );
  });

  it('refuses a counter this PC is not bound to before looking at the PIN', () => {
    q.bindCounters(['w1']);
    expect(reason(() => q.queue.signIn({ counterId: 'w2', login: 'clerk02', pin: '123456' }, q.clerk('w2')))).toBe(
      'COUNTER_NOT_BOUND',
    );
    expect(q.staff.byLogin('clerk02')?.failedAttempts).toBe(0);
    expect(q.signIn('w1').counter).toMatchObject({ status: 'open', clerkId: 'clerk01' });
  });

  it('walks a ticket through call, recall, start, finish with an event per step', () => {
    const t = q.issue();
    q.signIn('w3');
    let v = q.queue.callNext(cmd('w3'), q.clerk('w3'));
    expect(v.current).toMatchObject({ id: t.id, state: 'called', callCount: 1, counterId: 'w3' });
    v = q.queue.recall(cmd('w3', t.id), q.clerk('w3'));
    expect(v.current?.callCount).toBe(2);
    v = q.queue.start(cmd('w3', t.id), q.clerk('w3'));
    expect(v.current?.state).toBe('serving');
    q.advance(300_000);
    v = q.queue.finish(cmd('w3', t.id), q.clerk('w3'));
    expect(v.current).toBeNull();
    const actions = q.db.prepare('SELECT action FROM ticket_events WHERE ticket_id = ? ORDER BY id').all(t.id);
    expect(actions.map((r) => (r as { action: string }).action)).toEqual([
      'issue',
      'call',
      'recall',
      'start',
      'finish',
    ]);
    const calls = q.events
      .filter((e) => e.name === 'queue.called')
      .map((e) => e.payload as { recall: boolean; counterNumber: number });
    expect(calls).toEqual([
      expect.objectContaining({ recall: false, counterNumber: 3 }),
      expect.objectContaining({ recall: true }),
    ]);
    expect(q.queue.kpis().find((k) => k.queueId === 'general')).toMatchObject({ served: 1, avgServiceSeconds: 300 });
  });

  it('never calls twice when call-next is retried with the same mutation id', () => {
    q.issue();
    q.issue();
    q.signIn('w1');
    const input = cmd('w1');
    const first = q.queue.callNext(input, q.clerk('w1'));
    const retry = q.queue.callNext(input, q.clerk('w1'));
    expect(retry.current?.id).toBe(first.current?.id);
    expect(q.queue.kpis().find((k) => k.queueId === 'general')?.waiting).toBe(1);
    expect(q.events.filter((e) => e.name === 'queue.called')).toHaveLength(1);
  });

  it('refuses to call while busy or paused, and says when nobody waits', () => {
    q.signIn('w4');
    expect(reason(() => q.queue.callNext(cmd('w4'), q.clerk('w4')))).toBe('QUEUE_EMPTY');
    q.issue('business', 'none', 'organisation');
    q.issue('business', 'none', 'organisation');
    q.queue.callNext(cmd('w4'), q.clerk('w4'));
    expect(reason(() => q.queue.callNext(cmd('w4'), q.clerk('w4')))).toBe('COUNTER_BUSY');
    q.queue.pause({ ...cmd('w4'), paused: true }, q.clerk('w4'));
    const cur = q.queue.view('w4', q.clerk('w4')).current!;
    q.queue.start(cmd('w4', cur.id), q.clerk('w4'));
    q.queue.finish(cmd('w4', cur.id), q.clerk('w4'));
    expect(reason(() => q.queue.callNext(cmd('w4'), q.clerk('w4')))).toBe('COUNTER_PAUSED');
  });

  it('marks a no-show only after the configured calls and grace time, and reactivates once keeping arrival', () => {
    const t = q.issue();
    q.signIn('w1');
    q.queue.callNext(cmd('w1'), q.clerk('w1'));
    expect(reason(() => q.queue.noShow(cmd('w1', t.id), q.clerk('w1')))).toBe('NO_SHOW_TOO_EARLY');
    q.queue.recall(cmd('w1', t.id), q.clerk('w1'));
    expect(reason(() => q.queue.noShow(cmd('w1', t.id), q.clerk('w1')))).toBe('NO_SHOW_TOO_EARLY');
    q.advance(61_000);
    const v = q.queue.noShow(cmd('w1', t.id), q.clerk('w1'));
    expect(v.noShows.map((x) => x.id)).toEqual([t.id]);
    const later = q.issue();
    q.queue.reactivate(cmd('w1', t.id), q.clerk('w1'));
    const waiting = q.queue.view('w1', q.clerk('w1')).waiting;
    expect(waiting.map((x) => x.id)).toEqual([t.id, later.id]);
    expect(waiting[0]?.arrivedAt).toBe(t.arrivedAt);
    q.queue.callNext(cmd('w1'), q.clerk('w1'));
    q.queue.recall(cmd('w1', t.id), q.clerk('w1'));
    q.advance(61_000);
    q.queue.noShow(cmd('w1', t.id), q.clerk('w1'));
    expect(reason(() => q.queue.reactivate(cmd('w1', t.id), q.clerk('w1')))).toBe('ALREADY_REACTIVATED');
  });

  it('gives the hall screen each called ticket once: its latest call, recalls since it was called, 过号', () => {
    const t = q.issue();
    const other = q.issue();
    q.signIn('w1');
    q.queue.callNext(cmd('w1'), q.clerk('w1'));
    q.queue.recall(cmd('w1', t.id), q.clerk('w1'));
    q.queue.recall(cmd('w1', t.id), q.clerk('w1'));
    let board = q.queue.board(8);
    expect(board.calls.map((c) => c.ticketId)).toEqual([t.id, t.id, t.id]);
    expect(board.tickets).toEqual([
      expect.objectContaining({ ticketId: t.id, callId: board.calls[0]!.callId, recalls: 2, noShow: false }),
    ]);

    q.advance(61_000);
    q.queue.noShow(cmd('w1', t.id), q.clerk('w1'));
    q.queue.callNext(cmd('w1'), q.clerk('w1'));
    board = q.queue.board(8);
    expect(board.tickets.map((r) => [r.ticketId, r.recalls, r.noShow])).toEqual([
      [other.id, 0, false],
      [t.id, 2, true],
    ]);

    // Called again after 过号 (reactivated): the mark and the recall count start over.
    q.queue.start(cmd('w1', other.id), q.clerk('w1'));
    q.queue.finish(cmd('w1', other.id), q.clerk('w1'));
    q.queue.reactivate(cmd('w1', t.id), q.clerk('w1'));
    q.queue.callNext(cmd('w1'), q.clerk('w1'));
    board = q.queue.board(8);
    expect(board.tickets[0]).toMatchObject({ ticketId: t.id, recalls: 0, noShow: false });
    expect(board.tickets).toHaveLength(2);
    expect(q.queue.board(1).tickets).toHaveLength(1);
  });

  it('transfers to another queue or a counter keeping number and arrival time', () => {
    const t = q.issue('general');
    q.signIn('w3');
    q.signIn('w5');
    q.queue.callNext(cmd('w3'), q.clerk('w3'));
    q.queue.transfer({ ...cmd('w3', t.id), toQueueId: 'property' }, q.clerk('w3'));
    const atProperty = q.queue.view('w5', q.clerk('w5')).waiting;
    expect(atProperty).toHaveLength(1);
    expect(atProperty[0]).toMatchObject({
      number: t.number,
      arrivedAt: t.arrivedAt,
      parentId: t.id,
      queueId: 'property',
    });
    expect(q.store.ticket(t.id)?.state).toBe('transferred');

    const u = q.issue('general');
    q.queue.transfer({ ...cmd('w3', u.id), toCounterId: 'w12' }, q.clerk('w3'));
    q.signIn('w12');
    const child = q.queue.view('w12', q.clerk('w12')).waiting.find((x) => x.number === u.number);
    expect(child?.targetCounterId).toBe('w12');
    // Targeted at counter 12: counter 1 serves the same queue but does not see it.
    q.signIn('w1');
    expect(q.queue.view('w1', q.clerk('w1')).waiting.some((x) => x.number === u.number)).toBe(false);
  });

  it('transfers a ticket in service: arrival kept, the service time so far recorded and counted', () => {
    const t = q.issue('general');
    q.signIn('w1');
    q.signIn('w5');
    const c = q.clerk('w1');
    q.queue.callNext(cmd('w1'), c);
    q.queue.start(cmd('w1', t.id), c);
    q.advance(90_000);
    const after = q.queue.transfer({ ...cmd('w1', t.id), toQueueId: 'property' }, c);
    // The counter is free for the next citizen; the applicant waits at the right desk with the first arrival.
    expect(after.current).toBeNull();
    expect(q.store.ticket(t.id)?.state).toBe('transferred');
    const child = q.queue.view('w5', q.clerk('w5')).waiting.find((x) => x.parentId === t.id);
    expect(child).toMatchObject({ number: t.number, arrivedAt: t.arrivedAt, queueId: 'property', state: 'waiting' });
    const event = q.db
      .prepare("SELECT from_state, detail FROM ticket_events WHERE ticket_id = ? AND action = 'transfer'")
      .get(t.id) as { from_state: string; detail: string };
    expect(event.from_state).toBe('serving');
    expect(JSON.parse(event.detail)).toMatchObject({ serviceSeconds: 90, clerkId: 'clerk01' });
    // The service so far ends with the transfer: the day's service time counts those 90 seconds.
    const row = q.db.prepare('SELECT service_started_at, finished_at FROM tickets WHERE id = ?').get(t.id) as {
      service_started_at: string;
      finished_at: string;
    };
    expect(Date.parse(row.finished_at) - Date.parse(row.service_started_at)).toBe(90_000);
    expect(q.queue.kpis().find((k) => k.queueId === 'general')?.avgServiceSeconds).toBe(90);
  });

  it('calls a specific ticket out of order and logs it with the ticket the hall order had next', () => {
    const first = q.issue();
    const second = q.issue();
    q.signIn('w1');
    q.queue.callSpecific(cmd('w1', second.id), q.clerk('w1'));
    const callDetail = (ticketId: string) =>
      JSON.parse(
        (
          q.db.prepare("SELECT detail FROM ticket_events WHERE ticket_id = ? AND action = 'call'").get(ticketId) as {
            detail: string;
          }
        ).detail,
      ) as unknown;
    expect(callDetail(second.id)).toEqual({ specific: true, outOfOrder: true, next: first.number });
    // Chosen from the list but the one F1 would call anyway: logged as a specific call, in order.
    q.queue.start(cmd('w1', second.id), q.clerk('w1'));
    q.queue.finish(cmd('w1', second.id), q.clerk('w1'));
    q.queue.callSpecific(cmd('w1', first.id), q.clerk('w1'));
    expect(callDetail(first.id)).toEqual({ specific: true, outOfOrder: false, next: first.number });
    expect(reason(() => q.queue.callSpecific(cmd('w4', q.issue('general').id), q.clerk('w4')))).toBe('NOT_SIGNED_IN');
  });

  it('refuses every illegal transition through the service', () => {
    const t = q.issue();
    q.signIn('w1');
    const c = q.clerk('w1');
    // waiting: not the counter's current ticket yet, so none of these may act on it.
    expect(reason(() => q.queue.start(cmd('w1', t.id), c))).toBe('NOT_THIS_COUNTER');
    expect(reason(() => q.queue.finish(cmd('w1', t.id), c))).toBe('NOT_THIS_COUNTER');
    expect(reason(() => q.queue.recall(cmd('w1', t.id), c))).toBe('NOT_THIS_COUNTER');
    expect(reason(() => q.queue.reactivate(cmd('w1', t.id), c))).toBe('ILLEGAL_TRANSITION');
    q.queue.callNext(cmd('w1'), c);
    expect(reason(() => q.queue.finish(cmd('w1', t.id), c))).toBe('ILLEGAL_TRANSITION');
    expect(reason(() => q.queue.cancel(cmd('w1', t.id), c))).toBe('ILLEGAL_TRANSITION');
    q.queue.start(cmd('w1', t.id), c);
    expect(reason(() => q.queue.start(cmd('w1', t.id), c))).toBe('ILLEGAL_TRANSITION');
    expect(reason(() => q.queue.recall(cmd('w1', t.id), c))).toBe('ILLEGAL_TRANSITION');
    expect(reason(() => q.queue.noShow(cmd('w1', t.id), c))).toBe('ILLEGAL_TRANSITION');
    q.queue.finish(cmd('w1', t.id), c);
    expect(reason(() => q.queue.transfer({ ...cmd('w1', t.id), toQueueId: 'social' }, c))).toBe('ILLEGAL_TRANSITION');
    expect(reason(() => q.queue.reactivate(cmd('w1', t.id), c))).toBe('ILLEGAL_TRANSITION');
    expect(reason(() => q.queue.cancel(cmd('w1', t.id), c))).toBe('ILLEGAL_TRANSITION');
    expect(q.store.ticket(t.id)?.state).toBe('done');
  });
});

describe('appointments', () => {
  it('check in within the early/late window, once, and go first inside their window', () => {
    const start = new Date(Date.parse('2026-03-02T02:20:00Z')).toISOString();
    const end = new Date(Date.parse('2026-03-02T02:50:00Z')).toISOString();
    const { code } = q.queue.createAppointment({
      queueId: 'general',
      windowStart: start,
      windowEnd: end,
      applicantType: 'person',
    });
    q.setNow('2026-03-02T01:40:00Z'); // 40 min early, allowed 30
    expect(reason(() => q.queue.checkIn({ mutationId: q.m(), code }, q.kiosk))).toBe('APPOINTMENT_TOO_EARLY');
    q.setNow('2026-03-02T02:00:00Z');
    const walk = q.issue();
    const appt = q.queue.checkIn({ mutationId: q.m(), code: code.toLowerCase() }, q.kiosk);
    expect(appt.ticket.appointmentCode).toBe(code);
    expect(q.queue.checkIn({ mutationId: q.m(), code }, q.kiosk).ticket.id).toBe(appt.ticket.id);
    q.signIn('w1');
    // Before its window the appointment waits by arrival; inside it, it goes first.
    expect(q.queue.view('w1', q.clerk('w1')).waiting[0]?.id).toBe(walk.id);
    q.setNow('2026-03-02T02:25:00Z');
    expect(q.queue.view('w1', q.clerk('w1')).waiting[0]?.id).toBe(appt.ticket.id);
    expect(reason(() => q.queue.checkIn({ mutationId: q.m(), code: 'NOPE99' }, q.kiosk))).toBe('UNKNOWN_APPOINTMENT');
    const late = q.queue.createAppointment({
      queueId: 'general',
      windowStart: start,
      windowEnd: end,
      applicantType: 'person',
    });
    q.setNow('2026-03-02T03:06:00Z'); // 16 min after the end, allowed 15
    expect(reason(() => q.queue.checkIn({ mutationId: q.m(), code: late.code }, q.kiosk))).toBe('APPOINTMENT_EXPIRED');
  });

  it('count the people ahead in the call order itself: a due appointment has nobody ahead', () => {
    const appointment = (start: string, end: string) =>
      q.queue.createAppointment({ queueId: 'general', windowStart: start, windowEnd: end, applicantType: 'person' })
        .code;
    const later = appointment('2026-03-02T02:10:00Z', '2026-03-02T02:40:00Z');
    const first = appointment('2026-03-02T01:50:00Z', '2026-03-02T02:20:00Z');
    // Four walk-ins and an elderly one wait before either appointment arrives.
    for (let i = 0; i < 4; i++) q.issue();
    q.issue('general', 'elderly');
    q.setNow('2026-03-02T02:15:00Z');
    const laterIn = q.queue.checkIn({ mutationId: q.m(), code: later }, q.kiosk);
    const firstIn = q.queue.checkIn({ mutationId: q.m(), code: first }, q.kiosk);
    expect([firstIn.peopleAhead, firstIn.estimatedWaitMinutes]).toEqual([0, 0]);
    // The appointment whose window started later comes second, whenever it checked in.
    expect(laterIn.peopleAhead).toBe(0);
    expect(q.queue.ticket(laterIn.ticket.id).peopleAhead).toBe(1);
    // A walk-in arriving now has both appointments, the elderly ticket and the four walk-ins ahead.
    const walkIn = q.queue.issue(
      { mutationId: q.m(), queueId: 'general', applicantType: 'person', priority: 'none' },
      q.kiosk,
    );
    expect(walkIn.peopleAhead).toBe(7);
    // …which is the order "call next" takes them in.
    q.signIn('w1');
    const order = q.queue.view('w1', q.clerk('w1')).waiting.map((t) => t.id);
    expect(order.slice(0, 2)).toEqual([firstIn.ticket.id, laterIn.ticket.id]);
    expect(order.indexOf(walkIn.ticket.id)).toBe(7);
  });
});

describe('daily reset', () => {
  it('moves the day’s tickets and events to history at the reset time and restarts numbering', () => {
    const t = q.issue();
    q.issue();
    q.signIn('w1');
    q.queue.callNext(cmd('w1'), q.clerk('w1'));
    q.setNow('2026-03-02T18:59:00Z'); // 02:59 next morning in Shanghai: still the same hall day
    expect(q.queue.rollover()).toBe(false);
    q.setNow('2026-03-02T19:00:00Z'); // 03:00: reset
    expect(q.queue.rollover()).toBe(true);
    expect(q.store.ticket(t.id)).toBeUndefined();
    expect(q.store.historyCount('2026-03-02')).toBe(2);
    // The history keeps the id packed (packed-keys.ts).
    const events = q.db
      .prepare('SELECT COUNT(*) AS n FROM ticket_event_history WHERE ticket_id = ?')
      .get(packId(t.id)) as {
      n: number;
    };
    expect(events.n).toBe(2);
    expect(q.queue.view('w1', q.clerk('w1')).current).toBeNull();
    expect(q.issue().number).toBe('A001');
    expect(q.queue.board(8).calls).toEqual([]);
  });

  it('moves a transferred ticket and its child together: the child points at its parent', () => {
    const t = q.issue();
    q.signIn('w1');
    q.queue.callNext(cmd('w1'), q.clerk('w1'));
    q.queue.transfer({ ...cmd('w1', t.id), toQueueId: 'property' }, q.clerk('w1'));
    const child = q.db.prepare('SELECT id FROM tickets WHERE parent_id = ?').pluck().get(t.id) as string;
    expect(child).toBeDefined();
    q.setNow('2026-03-02T19:00:00Z');
    expect(q.queue.rollover()).toBe(true);
    expect(q.store.ticket(t.id)).toBeUndefined();
    expect(q.store.ticket(child)).toBeUndefined();
    expect(q.store.historyCount('2026-03-02')).toBe(2);
    expect(q.db.pragma('foreign_key_check')).toEqual([]);
  });

  it('happens before a command even if the timer has not run (clock jump)', () => {
    q.issue();
    q.setNow('2026-03-04T02:00:00Z');
    expect(q.issue().number).toBe('A001');
    expect(q.store.historyCount('2026-03-02')).toBe(1);
  });
});

describe('rules and clocks the pages rely on', () => {
  it('publishes queue.changed when the rules change, and the next counter view carries them', () => {
    const t = q.issue();
    q.signIn('w1');
    q.queue.callNext(cmd('w1'), q.clerk('w1'));
    expect(reason(() => q.queue.noShow(cmd('w1', t.id), q.clerk('w1')))).toBe('NO_SHOW_TOO_EARLY');
    q.events.length = 0;
    q.queue.updateSettings({ ...q.queue.settings(), noShowAfterCalls: 1, noShowGraceSeconds: 0 });
    expect(q.events).toEqual([{ name: 'queue.changed', payload: { hallDay: '2026-03-02' } }]);
    expect(q.queue.view('w1', q.clerk('w1')).settings).toMatchObject({ noShowAfterCalls: 1, noShowGraceSeconds: 0 });
    expect(q.queue.noShow(cmd('w1', t.id), q.clerk('w1')).noShows.map((x) => x.id)).toEqual([t.id]);
  });

  it('refuses at the contract a time zone the runtime does not know', () => {
    const s = q.queue.settings();
    const input = contract['queue.settings.update'].input;
    expect(input.safeParse({ ...s, timeZone: 'Asia/Shanghai' }).success).toBe(true);
    const bad = input.safeParse({ ...s, timeZone: 'Mars/Olympus_Mons' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['timeZone'], message: 'is not a known time zone' });
  });

  it('gives the core’s time with every counter view and board, so pages never use the PC clock', () => {
    q.issue();
    const signedIn = q.signIn('w1');
    expect(signedIn.serverTime).toBe('2026-03-02T02:00:00.000Z');
    q.advance(90_000);
    expect(q.queue.callNext(cmd('w1'), q.clerk('w1')).serverTime).toBe('2026-03-02T02:01:30.000Z');
    q.advance(1000);
    expect(q.queue.view('w1', q.clerk('w1')).serverTime).toBe('2026-03-02T02:01:31.000Z');
    expect(q.queue.board(8).serverTime).toBe('2026-03-02T02:01:31.000Z');
  });

  it('locks a clerk by the core’s clock: the first lock (30 s, the leader pane’s schedule) ends on that clock', () => {
    for (let i = 0; i < 5; i++) {
      expect(reason(() => q.queue.signIn({ counterId: 'w1', login: 'clerk03', pin: '999999' }, q.clerk('w1')))).toBe(
        'WRONG_CREDENTIALS',
      );
    }
    const locked = () => q.queue.signIn({ counterId: 'w1', login: 'clerk03', pin: '123456' }, q.clerk('w1'));
    expect(reason(locked)).toBe('ACCOUNT_LOCKED');
    q.advance(29_000);
    expect(reason(locked)).toBe('ACCOUNT_LOCKED');
    q.advance(1_000);
    expect(reason(locked)).toBe('ok');
  });

  it('keeps number, arrival, priority and the one reactivation through no-show, reactivate and transfer', () => {
    const t = q.issue('general', 'elderly');
    q.signIn('w1');
    q.signIn('w5');
    q.queue.updateSettings({ ...q.queue.settings(), noShowAfterCalls: 1, noShowGraceSeconds: 0 });
    q.advance(120_000);
    q.queue.callNext(cmd('w1'), q.clerk('w1'));
    q.queue.noShow(cmd('w1', t.id), q.clerk('w1'));
    q.queue.reactivate(cmd('w1', t.id), q.clerk('w1'));
    q.queue.callNext(cmd('w1'), q.clerk('w1'));
    q.queue.transfer({ ...cmd('w1', t.id), toQueueId: 'property' }, q.clerk('w1'));
    const child = q.queue.view('w5', q.clerk('w5')).waiting.find((x) => x.parentId === t.id)!;
    expect(child).toMatchObject({
      number: t.number,
      arrivedAt: t.arrivedAt,
      priority: 'elderly',
      reactivated: true,
      queueId: 'property',
    });
    // Reactivated once already, even as the transferred child: a second no-show stays out.
    q.queue.callNext(cmd('w5'), q.clerk('w5'));
    q.queue.noShow(cmd('w5', child.id), q.clerk('w5'));
    expect(reason(() => q.queue.reactivate(cmd('w5', child.id), q.clerk('w5')))).toBe('ALREADY_REACTIVATED');
    const actions = q.db.prepare('SELECT action FROM ticket_events WHERE ticket_id = ? ORDER BY id').all(t.id);
    expect(actions.map((r) => (r as { action: string }).action)).toEqual([
      'issue',
      'call',
      'no_show',
      'reactivate',
      'call',
      'transfer',
    ]);
  });
});
