import { TICKET_NEAR_AHEAD } from '@shared/notices/notices';
import type { QueueTicketNoticeArgs } from '@shared/sync/mutations/queue';
import { maskPhone } from '@shared/validation/mask';
import type { OutboxStore } from '../store/outbox-store';
import type { TicketSmsStore } from '../store/ticket-sms-store';

/**
 * The "请到X号窗口" SMS of a ticket whose holder gave a mobile number at the kiosk. The hub only decides
 * when: it appends a `queue.ticket.notice` mutation (central renders, sends and keeps quiet hours) in the
 * transaction of the queue command that caused it, keyed by the ticket the holder took and the event, so
 * each is asked for once. The number lives in its own table until the ticket is called (its last notice),
 * cancelled or its day ends; nothing a page or another device reads carries it.
 */
export function createTicketNotices(deps: { store: TicketSmsStore; outbox: Pick<OutboxStore, 'append'> }) {
  const { store, outbox } = deps;

  const send = (originTicketId: string, args: QueueTicketNoticeArgs, at: Date) =>
    outbox.append(
      { name: 'queue.ticket.notice', version: 1, args, entityId: `ticket-notice:${originTicketId}:${args.event}` },
      at,
    );

  return {
    /**
     * The holder's opt-in. A ticket already that near gets no "near" notice: its holder is in the hall
     * looking at the screen, and it would only repeat what the kiosk just showed.
     */
    optIn(t: { id: string; hallDay: string }, phone: string, peopleAhead: number, at: Date) {
      const nearNotice = peopleAhead > TICKET_NEAR_AHEAD;
      store.put({ ticketId: t.id, hallDay: t.hallDay, phone, nearDone: !nearNotice, at: at.toISOString() });
      return { ticketId: t.id, phoneMasked: maskPhone(phone), nearNotice };
    },

    /**
     * After a command moved the queue: each opted-in ticket now TICKET_NEAR_AHEAD or fewer from its turn
     * for the first time gets its "near" notice. `aheadOf`: the people ahead of a waiting ticket, null
     * for one no longer waiting.
     */
    queueMoved(hallDay: string, aheadOf: (ticketId: string) => { number: string; ahead: number } | null, at: Date) {
      for (const r of store.pendingNear(hallDay)) {
        const t = aheadOf(r.ticketId);
        if (!t || t.ahead > TICKET_NEAR_AHEAD) continue;
        const args: QueueTicketNoticeArgs = {
          event: 'near',
          ticketId: r.originTicketId,
          ticketNumber: t.number,
          phone: r.phone,
          peopleAhead: t.ahead,
          at: at.toISOString(),
        };
        send(r.originTicketId, args, at);
        store.markNearDone(r.ticketId);
      }
    },

    /** A counter called the ticket: its last notice, so the number is not kept past it (a recall sends none). */
    called(t: { id: string; number: string }, counterNumber: number, at: Date) {
      const r = store.get(t.id);
      if (!r) return;
      const args: QueueTicketNoticeArgs = {
        event: 'called',
        ticketId: r.originTicketId,
        ticketNumber: t.number,
        phone: r.phone,
        counterNumber,
        at: at.toISOString(),
      };
      send(r.originTicketId, args, at);
      store.remove(t.id);
    },

    /** A waiting ticket moved to another queue or counter: the holder still waits, now on the new ticket. */
    transferred: (fromTicketId: string, toTicketId: string) => store.move(fromTicketId, toTicketId),
    /** Cancelled: nobody is waiting to be told. */
    ended: (ticketId: string) => store.remove(ticketId),
    /** The daily reset. */
    dayEnded: (hallDay: string) => store.removeBefore(hallDay),
  };
}
export type TicketNotices = ReturnType<typeof createTicketNotices>;
