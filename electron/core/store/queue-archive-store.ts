import type { Database } from 'better-sqlite3';
import type { TicketFactColumns } from '@shared/insight/ticket-stats';
import type { TicketState } from '@shared/queue/ticket-states';

export interface ArchiveTicketRow extends TicketFactColumns {
  id: string;
  state: TicketState;
  finished_by: string | null;
  finished_by_name: string | null;
  finished_event_at: string | null;
}

export interface ArchiveSessionRow {
  counter_id: string;
  clerk_id: string;
  clerk_name: string;
  signed_in_at: string;
  signed_out_at: string | null;
}

/**
 * What the daily reset reports to central about the days it moves to history, read from the live tables
 * just before they move: SQL only.
 */
export function createQueueArchiveStore(db: Database) {
  const s = {
    daysBefore: db.prepare<[string], { hall_day: string }>(
      'SELECT DISTINCT hall_day FROM tickets WHERE hall_day < ? ORDER BY hall_day',
    ),
    // A finish names its clerk in the event's detail; a clerk no longer on the hall's list counts for nobody,
    // as in the hub's own statistics.
    tickets: db.prepare<[string, string], ArchiveTicketRow>(`
      SELECT t.id, t.queue_id, t.parent_id, t.state, t.counter_id, t.issued_at, t.first_called_at,
             t.service_started_at, t.finished_at, k.id AS finished_by, k.name AS finished_by_name,
             f.at AS finished_event_at
        FROM tickets t
        LEFT JOIN (SELECT ticket_id, at, json_extract(detail, '$.clerkId') AS clerk_id FROM ticket_events
                    WHERE hall_day = ? AND action = 'finish') f ON f.ticket_id = t.id
        LEFT JOIN staff k ON k.id = f.clerk_id
       WHERE t.hall_day = ?
       ORDER BY t.issued_at, t.id`),
    sessions: db.prepare<[string, string], ArchiveSessionRow>(`
      SELECT s.counter_id, s.clerk_id, k.name AS clerk_name, s.signed_in_at, s.signed_out_at
        FROM counter_sessions s JOIN staff k ON k.id = s.clerk_id
       WHERE s.signed_in_at < ? AND (s.signed_out_at IS NULL OR s.signed_out_at > ?)
       ORDER BY s.signed_in_at, s.id`),
    queues: db.prepare<[], { id: string; name_zh: string; name_en: string; sort_order: number }>(
      'SELECT id, name_zh, name_en, sort_order FROM queues ORDER BY sort_order, id',
    ),
    counters: db.prepare<[], { id: string; number: number; name: string }>(
      'SELECT id, number, name FROM counters ORDER BY number',
    ),
  };
  return {
    /** Hall days before `day` that still have live tickets. */
    daysBefore: (day: string) => s.daysBefore.all(day).map((r) => r.hall_day),
    tickets: (hallDay: string) => s.tickets.all(hallDay, hallDay),
    /** Sign-ins overlapping [fromInstant, toInstant), of clerks on the hall's list. */
    sessions: (fromInstant: string, toInstant: string) => s.sessions.all(toInstant, fromInstant),
    queues: () => s.queues.all(),
    counters: () => s.counters.all(),
  };
}
export type QueueArchiveStore = ReturnType<typeof createQueueArchiveStore>;
