import { localDayWindow } from '@shared/insight/ticket-stats';
import {
  ARCHIVE_CHUNK_SESSIONS,
  ARCHIVE_CHUNK_TICKETS,
  type ArchivedSession,
  type ArchivedTicket,
  type QueueDayArchivedArgs,
} from '@shared/sync/mutations/queue';
import type { OutboxStore } from '../store/outbox-store';
import type { ArchiveTicketRow, QueueArchiveStore } from '../store/queue-archive-store';

const toTicket = (r: ArchiveTicketRow): ArchivedTicket => ({
  id: r.id,
  queueId: r.queue_id,
  parentId: r.parent_id,
  state: r.state,
  counterId: r.counter_id,
  issuedAt: r.issued_at,
  firstCalledAt: r.first_called_at,
  serviceStartedAt: r.service_started_at,
  finishedAt: r.finished_at,
  finishedBy:
    r.finished_by && r.finished_by_name !== null && r.finished_event_at
      ? { clerkId: r.finished_by, name: r.finished_by_name, at: r.finished_event_at }
      : null,
});

/**
 * Tells central about the hall days the daily reset moves to history, so their ticket statistics outlive
 * the hub: one `queue.day.archived` mutation per chunk of a day, appended in the reset's own transaction
 * (the day is archived and reported together, or neither). Central keys what it stores by hall and
 * ticket (and sign-in), so a chunk that arrives twice, or a day a restored hub archives again, counts once.
 */
export function createDayArchive(deps: { store: QueueArchiveStore; outbox: Pick<OutboxStore, 'append'> }) {
  const { store, outbox } = deps;

  return {
    /**
     * Reports every day before `today` whose tickets are still live, and the day the hall was on
     * (`closing`), which may have had sign-ins without a ticket. Runs inside the reset's transaction,
     * before the tickets move. Returns the mutations appended.
     */
    report(today: string, closing: string | null, timeZone: string, at: Date): number {
      const days = new Set(store.daysBefore(today));
      if (closing !== null && closing < today) days.add(closing);
      const queues = store.queues().map((q) => ({
        id: q.id,
        nameZh: q.name_zh,
        nameEn: q.name_en,
        sortOrder: q.sort_order,
      }));
      const counters = store.counters();
      let appended = 0;
      for (const hallDay of [...days].sort()) {
        const tickets = store.tickets(hallDay).map(toTicket);
        const window = localDayWindow(hallDay, timeZone);
        const sessions: ArchivedSession[] = store.sessions(window.from, window.to).map((s) => ({
          counterId: s.counter_id,
          clerkId: s.clerk_id,
          clerkName: s.clerk_name,
          signedInAt: s.signed_in_at,
          signedOutAt: s.signed_out_at,
        }));
        if (tickets.length === 0 && sessions.length === 0) continue;
        const chunks = Math.max(
          Math.ceil(tickets.length / ARCHIVE_CHUNK_TICKETS),
          Math.ceil(sessions.length / ARCHIVE_CHUNK_SESSIONS),
        );
        for (let chunk = 0; chunk < chunks; chunk++) {
          // Not parsed here: a chunk central refuses is logged there as rejected, whereas a throw would
          // stop the daily reset, and with it every queue command of the hall.
          const args: QueueDayArchivedArgs = {
            hallDay,
            chunk,
            chunks,
            queues,
            counters,
            tickets: tickets.slice(chunk * ARCHIVE_CHUNK_TICKETS, (chunk + 1) * ARCHIVE_CHUNK_TICKETS),
            sessions: sessions.slice(chunk * ARCHIVE_CHUNK_SESSIONS, (chunk + 1) * ARCHIVE_CHUNK_SESSIONS),
          };
          outbox.append(
            { name: 'queue.day.archived', version: 1, args, entityId: `queue-day:${hallDay}:${chunk}` },
            at,
          );
          appended += 1;
        }
      }
      return appended;
    },
  };
}
export type DayArchive = ReturnType<typeof createDayArchive>;
