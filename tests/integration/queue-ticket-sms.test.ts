import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@shared/api';
import { queueMethods } from '@shared/api/methods/queue';
import { queueTicketNoticeArgs, type QueueTicketNoticeArgs } from '@shared/sync/mutations/queue';
import { startQueueCore } from '../fixtures/queue-core';
import { decodeArgs } from '../../electron/core/store/outbox-args';
import { OUTBOX_ROWS } from '../fixtures/outbox-rows';

type Q = Awaited<ReturnType<typeof startQueueCore>>;
let q: Q;
beforeEach(async () => {
  // Monday 2026-03-02 10:00 in Shanghai; the hall day resets at 03:00.
  q = await startQueueCore();
});
afterEach(() => q.stop());

const PHONE = '13812345678';
const NEXT_DAY = '2026-03-02T19:30:00.000Z';

const notices = () =>
  q.db
    .prepare<[], { args: Buffer; entity_id: string }>(
      `SELECT args, entity_id FROM (${OUTBOX_ROWS}) WHERE name = 'queue.ticket.notice' ORDER BY seq`,
    )
    .all()
    .map((r) => ({ entityId: r.entity_id, args: queueTicketNoticeArgs.parse(decodeArgs(r.args)) }));
const events = (e: QueueTicketNoticeArgs['event']) => notices().filter((n) => n.args.event === e);
const optIns = () => (q.db.prepare('SELECT count(*) AS n FROM ticket_sms').get() as { n: number }).n;

const optIn = (ticketId: string, phone = PHONE) => q.queue.smsOptIn({ mutationId: q.m(), ticketId, phone });
const at = (counterId: string, ticketId: string) => ({ mutationId: q.m(), counterId, ticketId });
const callNext = (counterId: string) => q.queue.callNext({ mutationId: q.m(), counterId }, q.clerk(counterId)).current!;
const finish = (counterId: string, ticketId: string) => {
  q.queue.start(at(counterId, ticketId), q.clerk(counterId));
  return q.queue.finish(at(counterId, ticketId), q.clerk(counterId));
};
/** Calls the next ticket at the counter and finishes it: the queue moves by one. */
const serveNext = (counterId: string) => finish(counterId, callNext(counterId).id);

describe('the SMS opt-in of a ticket on the hub', () => {
  it('asks for "near" exactly once when 3 or fewer are ahead, and "called" once with the window', () => {
    const tickets = Array.from({ length: 8 }, () => q.issue());
    const mine = tickets[6]!;
    expect(optIn(mine.id)).toEqual({ ticketId: mine.id, phoneMasked: '138****5678', nearNotice: true });
    q.signIn('w1');
    serveNext('w1');
    serveNext('w1');
    expect(events('near')).toEqual([]);
    serveNext('w1'); // 3 ahead now
    expect(notices()).toEqual([
      {
        entityId: `ticket-notice:${mine.id}:near`,
        args: {
          event: 'near',
          ticketId: mine.id,
          ticketNumber: mine.number,
          phone: PHONE,
          peopleAhead: 3,
          at: '2026-03-02T02:00:00.000Z',
        },
      },
    ]);
    serveNext('w1');
    serveNext('w1');
    serveNext('w1');
    expect(events('near')).toHaveLength(1);
    expect(events('called')).toEqual([]);

    const called = callNext('w1');
    expect(called.id).toBe(mine.id);
    expect(events('called').map((n) => n.args)).toEqual([
      {
        event: 'called',
        ticketId: mine.id,
        ticketNumber: mine.number,
        phone: PHONE,
        counterNumber: 1,
        at: '2026-03-02T02:00:00.000Z',
      },
    ]);
    // The call was its last notice: the number is gone, and a recall sends nothing.
    expect(optIns()).toBe(0);
    q.queue.recall(at('w1', mine.id), q.clerk('w1'));
    finish('w1', mine.id);
    expect(notices()).toHaveLength(2);
  });

  it('fires "near" once through transfers; the transferred ticket keeps the holder’s ticket id', () => {
    for (let i = 0; i < 6; i++) q.issue();
    const mine = q.issue();
    optIn(mine.id);
    q.signIn('w1');
    // Moved to a queue nobody waits in: near at once.
    q.queue.transfer({ ...at('w1', mine.id), toQueueId: 'property' }, q.clerk('w1'));
    expect(events('near').map((n) => n.args)).toMatchObject([{ ticketId: mine.id, peopleAhead: 0 }]);
    // Back to the long queue and to the short one again: no second "near".
    q.signIn('w5');
    const inProperty = q.queue.view('w5', q.clerk('w5')).waiting[0]!;
    q.queue.transfer({ ...at('w5', inProperty.id), toQueueId: 'general' }, q.clerk('w5'));
    const inGeneral = q.queue.view('w1', q.clerk('w1')).waiting.find((t) => t.number === mine.number)!;
    q.queue.transfer({ ...at('w1', inGeneral.id), toQueueId: 'property' }, q.clerk('w1'));
    expect(events('near')).toHaveLength(1);

    const called = callNext('w5');
    expect(called.number).toBe(mine.number);
    expect(called.id).not.toBe(mine.id);
    expect(events('called')).toMatchObject([
      { entityId: `ticket-notice:${mine.id}:called`, args: { ticketId: mine.id, counterNumber: 5 } },
    ]);
  });

  it('fires "near" once through no-shows, even when a reactivated ticket puts it back to 4 ahead', () => {
    const ahead = Array.from({ length: 4 }, () => q.issue());
    const mine = q.issue();
    optIn(mine.id);
    q.signIn('w1');
    const first = callNext('w1');
    expect(first.id).toBe(ahead[0]!.id);
    expect(events('near').map((n) => n.args)).toMatchObject([{ peopleAhead: 3 }]);
    q.queue.recall(at('w1', first.id), q.clerk('w1'));
    q.advance(61_000);
    q.queue.noShow(at('w1', first.id), q.clerk('w1'));
    q.queue.reactivate(at('w1', first.id), q.clerk('w1'));
    expect(q.queue.ticket(mine.id).peopleAhead).toBe(4);
    serveNext('w1');
    serveNext('w1');
    expect(events('near')).toHaveLength(1);
  });

  it('sends no "near" to a ticket already that near when its holder opts in, only the call', () => {
    q.issue();
    const mine = q.issue();
    expect(optIn(mine.id).nearNotice).toBe(false);
    q.signIn('w1');
    serveNext('w1');
    expect(events('near')).toEqual([]);
    callNext('w1');
    expect(events('called')).toHaveLength(1);
  });

  it('refuses a ticket no longer waiting, and a number that is not a mainland mobile at the boundary', () => {
    const t = q.issue();
    q.signIn('w1');
    callNext('w1');
    expect(() => optIn(t.id)).toThrow(AppError);
    expect(() => optIn(t.id)).toThrow(/no longer waiting/);
    const input = queueMethods['queue.ticket.smsOptIn'].input;
    const ok = { mutationId: q.m(), ticketId: t.id, phone: PHONE };
    expect(input.safeParse(ok).success).toBe(true);
    for (const phone of ['12812345678', '1381234567', '138123456789', '+8613812345678', '138 1234 5678']) {
      expect(input.safeParse({ ...ok, phone }).success).toBe(false);
    }
  });

  it('forgets the number when the ticket is cancelled and when the hall day ends', () => {
    const cancelled = q.issue();
    const overnight = q.issue();
    optIn(cancelled.id);
    optIn(overnight.id, '13900001111');
    q.signIn('w1');
    q.queue.cancel(at('w1', cancelled.id), q.clerk('w1'));
    expect(optIns()).toBe(1);
    q.setNow(NEXT_DAY);
    expect(q.queue.rollover()).toBe(true);
    expect(optIns()).toBe(0);
    expect(notices()).toEqual([]);
  });

  it('never lets the number reach the board, counter views, tickets, events, the command log or the archive', () => {
    const tickets = Array.from({ length: 6 }, () => q.issue());
    const mine = tickets[5]!;
    optIn(mine.id);
    q.signIn('w1');
    serveNext('w1');
    serveNext('w1');
    const views = [
      q.queue.board(50),
      q.queue.view('w1', q.clerk('w1')),
      q.queue.ticket(mine.id),
      q.queue.kpis(),
      q.events,
      q.db.prepare('SELECT * FROM tickets').all(),
      q.db.prepare('SELECT * FROM ticket_events').all(),
      q.db.prepare('SELECT * FROM command_log').all(),
    ];
    expect(events('near')).toHaveLength(1);
    for (const v of views) expect(JSON.stringify(v)).not.toContain(PHONE);
    // Nor the history the daily reset writes and reports to central.
    q.setNow(NEXT_DAY);
    q.queue.rollover();
    const archived = q.db
      .prepare<[], { args: Buffer }>(`SELECT args FROM outbox WHERE name = 'queue.day.archived'`)
      .all()
      .map((r) => decodeArgs(r.args));
    expect(archived.length).toBeGreaterThan(0);
    for (const v of [archived, q.db.prepare('SELECT * FROM ticket_history').all()]) {
      expect(JSON.stringify(v)).not.toContain(PHONE);
    }
  });

  it('blanks the number in the outbox once central has the notice', () => {
    q.issue();
    const mine = q.issue();
    optIn(mine.id);
    q.signIn('w1');
    q.signIn('w2');
    callNext('w1');
    expect(callNext('w2').id).toBe(mine.id);
    const rows = q.outbox.nextBatch(100).filter((e) => e.name === 'queue.ticket.notice');
    expect(rows).toHaveLength(1);
    q.outbox.acknowledge(
      rows.map((e) => ({
        replicaId: e.replicaId,
        seq: e.seq,
        mutationId: e.mutationId,
        status: 'applied',
        result: {},
      })),
      new Date(),
    );
    const kept = q.db
      .prepare<[], { args: Buffer }>(`SELECT args FROM outbox WHERE name = 'queue.ticket.notice'`)
      .all()
      .map((r) => decodeArgs(r.args));
    expect(kept).toMatchObject([{ phone: null }]);
    expect(JSON.stringify(kept)).not.toContain(PHONE);
  });
});
