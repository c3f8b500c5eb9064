import type { QueueTicketNoticeArgs } from '@shared/sync/mutations/queue';
import { maskPhone } from '@shared/validation/mask';
import type { Tx } from '../db/pool';
import { noticeStore } from './notice-store';
import { inQuietHours } from './quiet-hours';

/**
 * How long after its event a queue ticket's notice may still go out. Past it the holder has been called
 * (a "near") or marked absent (a "called": a counter waits a minute or two between calls): an SMS then
 * only misleads.
 */
export const TICKET_NOTICE_TTL_MS = 15 * 60_000;

const keyOf = (ticketId: string, event: QueueTicketNoticeArgs['event']) => `ticket:${ticketId}:${event}`;

export type TicketNoticeOutcome = 'queued' | 'duplicate' | 'dropped_called' | 'dropped_stale' | 'dropped_quiet_hours';

/**
 * A hub's `queue.ticket.notice`: one notice of central's outbox per ticket and event (key
 * `ticket:<id>:near|called`). A "near" is pointless once the call is known, so it is not written then,
 * and a "called" drops a "near" still waiting to go. Quiet hours (22:00–08:00 hall time) drop the notice
 * instead of deferring it as a case notice is: "your turn is near" at 08:00 would be about a queue that
 * closed the evening before. The phone is kept only on a notice that may still go out.
 */
export async function ticketNotice(
  tx: Tx,
  hallId: string,
  a: QueueTicketNoticeArgs,
  now: Date,
): Promise<{ notice: TicketNoticeOutcome }> {
  const key = keyOf(a.ticketId, a.event);
  if (a.event === 'near' && (await noticeStore.known(tx, keyOf(a.ticketId, 'called')))) {
    return { notice: 'dropped_called' };
  }
  if (a.event === 'called') await noticeStore.dropWaiting(tx, keyOf(a.ticketId, 'near'), 'called');

  const hall = await noticeStore.hall(tx, hallId);
  const expiresAt = new Date(Date.parse(a.at) + TICKET_NOTICE_TTL_MS);
  const dropped = expiresAt <= now ? 'stale' : hall && inQuietHours(now, hall.timeZone) ? 'quiet_hours' : undefined;
  const params: Record<string, string> =
    a.event === 'near'
      ? { ticketNumber: a.ticketNumber, peopleAhead: String(a.peopleAhead) }
      : { ticketNumber: a.ticketNumber, counterNumber: String(a.counterNumber) };
  const written = await noticeStore.enqueue(tx, {
    key,
    kind: a.event === 'near' ? 'ticket_near' : 'ticket_called',
    hallId,
    caseId: null,
    matterCode: '',
    phone: a.phone,
    phoneMasked: maskPhone(a.phone),
    params: { hallName: hall?.name ?? '', ...params },
    at: now,
    expiresAt,
    ...(dropped ? { dropped } : {}),
  });
  if (!written) return { notice: 'duplicate' };
  return { notice: dropped ? (`dropped_${dropped}` as const) : 'queued' };
}
