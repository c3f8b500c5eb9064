import type { DisplayBoard, QueueKpi } from '@shared/api';
import type { QueueCommands } from './queue-commands';

/** What the hall display and the dashboard show of today's queues. */
export function createHallBoard(commands: QueueCommands) {
  const { store, now, today } = commands;
  return {
    board(limit: number): Omit<DisplayBoard, 'settings'> {
      const day = today();
      const queues = new Map(store.queues().map((q) => [q.id, q]));
      return {
        hallDay: day,
        serverTime: now().toISOString(),
        calls: store.recentCalls(day, limit).map((r) => ({
          callId: r.id,
          ticketId: r.ticket_id,
          ticketNumber: r.number,
          queueId: r.queue_id,
          counterNumber: r.counter_number,
          recall: r.action === 'recall',
          at: r.at,
        })),
        tickets: store.recentCalledTickets(day, limit).map((r) => ({
          ticketId: r.ticket_id,
          ticketNumber: r.number,
          queueId: r.queue_id,
          counterNumber: r.counter_number,
          callId: r.id,
          at: r.at,
          recalls: r.recalls,
          noShow: r.state === 'no_show',
          state: r.state,
        })),
        counters: store.counters().flatMap((c) => {
          if (c.status === 'closed') return [];
          const t = c.currentTicketId ? store.ticket(c.currentTicketId) : undefined;
          const live = t && (t.state === 'called' || t.state === 'serving') ? t : undefined;
          return [
            {
              counterNumber: c.number,
              status: c.status,
              ticketNumber: live?.number ?? null,
              ticketState: live ? (live.state as 'called' | 'serving') : null,
              callId: live ? (store.latestCallId(live.id) ?? null) : null,
            },
          ];
        }),
        waiting: store.kpis(day, now().getTime()).flatMap((k) => {
          const q = queues.get(k.queue_id);
          return q && q.active
            ? [{ queueId: q.id, prefix: q.prefix, nameZh: q.nameZh, nameEn: q.nameEn, waiting: k.waiting }]
            : [];
        }),
      };
    },

    kpis(): QueueKpi[] {
      const queues = new Map(store.queues().map((q) => [q.id, q]));
      return store.kpis(today(), now().getTime()).flatMap((k) => {
        const q = queues.get(k.queue_id);
        return q
          ? [
              {
                queueId: q.id,
                prefix: q.prefix,
                nameZh: q.nameZh,
                nameEn: q.nameEn,
                waiting: k.waiting,
                issued: k.issued,
                served: k.served,
                noShows: k.no_shows,
                avgWaitSeconds: k.avg_wait,
                longestWaitSeconds: k.longest_wait,
                avgServiceSeconds: k.avg_service,
              },
            ]
          : [];
      });
    },
  };
}
