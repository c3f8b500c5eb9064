import type { TicketStats } from '@shared/api';
import { ticketFactOf, ticketStats, type FinishFact } from '@shared/insight/ticket-stats';
import type { QueueInsightStore } from '../store/insight-store';

/**
 * Ticket statistics of a range of hall days, computed where the queue lives (the hub, or a standalone
 * device) from its live tickets and its history; central computes the same from the archived days.
 */
export function createQueueInsightService(deps: { store: QueueInsightStore; timeZone: () => string; now: () => Date }) {
  const { store } = deps;

  return {
    tickets(from: string, to: string): TicketStats {
      return ticketStats({
        from,
        to,
        timeZone: deps.timeZone(),
        now: deps.now(),
        tickets: store.tickets(from, to).map((t) => ticketFactOf(t.id, t)),
        // A finish event older than the clerk detail names nobody: it counts for no clerk.
        finishes: store
          .finishEvents(from, to)
          .flatMap((e): FinishFact[] =>
            e.clerk_id ? [{ ticketId: e.ticket_id, hallDay: e.hall_day, at: e.at, clerkId: e.clerk_id }] : [],
          ),
        sessions: (fromInstant, toInstant) =>
          store.sessions(fromInstant, toInstant).map((s) => ({
            clerkId: s.clerk_id,
            signedInAt: s.signed_in_at,
            signedOutAt: s.signed_out_at,
          })),
        queues: store.queues().map((q) => ({ id: q.id, nameZh: q.name_zh, nameEn: q.name_en })),
        counters: store.counters(),
        clerks: store.clerks(),
      });
    },
  };
}
export type QueueInsightService = ReturnType<typeof createQueueInsightService>;
