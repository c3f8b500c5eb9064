import type { TicketFactColumns } from '@shared/insight/ticket-stats';
import type { QueueDayArchivedArgs } from '@shared/sync/mutations/queue';
import type { Db, Tx } from '../db/pool';

export interface ArchivedTicketRow extends TicketFactColumns {
  ticket_id: string;
  hall_day: string;
  finished_by: string | null;
  finished_by_name: string | null;
  finished_event_at: string | null;
}

export interface ArchivedSessionRow {
  clerk_id: string;
  clerk_name: string;
  signed_in_at: string;
  signed_out_at: string | null;
}

export interface ArchivedRoster {
  hall_day: string;
  queues: QueueDayArchivedArgs['queues'];
  counters: QueueDayArchivedArgs['counters'];
}

/**
 * How far along a ticket's life a stored or reported row is, as a row value that compares in order.
 * A ticket moves `waiting → called → serving → done`, may end `transferred` or `cancelled`, and may leave
 * `no_show` for `waiting` once, keeping its first call's instant until it is called again (which sets a
 * later one). So: a final state first; then the latest first call (a reactivated ticket called again is
 * past its no-show); then the state, where a waiting ticket that was already called is a reactivated one,
 * past its no-show.
 */
function ticketProgress(row: 'excluded' | 'cur'): string {
  return `(CASE WHEN ${row}.state IN ('done', 'transferred', 'cancelled') THEN 1 ELSE 0 END,
     COALESCE(${row}.first_called_at::timestamptz, '-infinity'),
     CASE ${row}.state WHEN 'waiting' THEN CASE WHEN ${row}.first_called_at IS NULL THEN 0 ELSE 4 END
       WHEN 'called' THEN 1 WHEN 'serving' THEN 2 WHEN 'no_show' THEN 3 ELSE 5 END)`;
}

/**
 * The stored entries of a day's roster that a report leaves out: a hub restored from an older backup does
 * not know a queue or counter added since, yet the day's tickets still name it. The report's names win.
 */
function rosterLeftovers(column: 'queues' | 'counters'): string {
  return `COALESCE((SELECT jsonb_agg(old.e) FROM jsonb_array_elements(cur.${column}) AS old(e)
     WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(excluded.${column}) AS new(e)
                        WHERE new.e->>'id' = old.e->>'id')), '[]'::jsonb)`;
}

/** The hall days the hubs archived: SQL only. Every write is an upsert by its natural key (replay-safe). */
export const queueHistoryStore = {
  async putDay(tx: Tx, hallId: string, deviceId: string, a: QueueDayArchivedArgs): Promise<void> {
    await tx.query(
      `INSERT INTO queue_archived_days AS cur (hall_id, hall_day, queues, counters) VALUES ($1, $2, $3, $4)
       ON CONFLICT (hall_id, hall_day) DO UPDATE
         SET queues = excluded.queues || ${rosterLeftovers('queues')},
             counters = excluded.counters || ${rosterLeftovers('counters')}, updated_at = now()`,
      [hallId, a.hallDay, JSON.stringify(a.queues), JSON.stringify(a.counters)],
    );
    if (a.tickets.length > 0) {
      const tickets = a.tickets.map((t) => ({
        ticket_id: t.id,
        queue_id: t.queueId,
        parent_id: t.parentId,
        state: t.state,
        counter_id: t.counterId,
        issued_at: t.issuedAt,
        first_called_at: t.firstCalledAt,
        service_started_at: t.serviceStartedAt,
        finished_at: t.finishedAt,
        finished_by: t.finishedBy?.clerkId ?? null,
        finished_by_name: t.finishedBy?.name ?? null,
        finished_event_at: t.finishedBy?.at ?? null,
      }));
      // A hub restored from a backup archives its days again with older copies of their tickets: a report
      // replaces the stored row only when it is at least as far along, so a ticket never moves backwards.
      await tx.query(
        `INSERT INTO queue_archived_tickets AS cur (hall_id, ticket_id, hall_day, queue_id, parent_id, state,
           counter_id, issued_at, first_called_at, service_started_at, finished_at, finished_by, finished_by_name,
           finished_event_at, device_id)
         SELECT $1, x.ticket_id, $2, x.queue_id, x.parent_id, x.state, x.counter_id, x.issued_at, x.first_called_at,
                x.service_started_at, x.finished_at, x.finished_by, x.finished_by_name, x.finished_event_at, $3
           FROM jsonb_to_recordset($4::jsonb) AS x(ticket_id uuid, queue_id text, parent_id uuid, state text,
                counter_id text, issued_at text, first_called_at text, service_started_at text, finished_at text,
                finished_by text, finished_by_name text, finished_event_at text)
         ON CONFLICT (hall_id, ticket_id) DO UPDATE SET hall_day = excluded.hall_day, queue_id = excluded.queue_id,
           parent_id = COALESCE(excluded.parent_id, cur.parent_id), state = excluded.state,
           counter_id = excluded.counter_id, issued_at = excluded.issued_at,
           first_called_at = COALESCE(excluded.first_called_at, cur.first_called_at),
           service_started_at = COALESCE(excluded.service_started_at, cur.service_started_at),
           finished_at = COALESCE(excluded.finished_at, cur.finished_at),
           finished_by = COALESCE(excluded.finished_by, cur.finished_by),
           finished_by_name = COALESCE(excluded.finished_by_name, cur.finished_by_name),
           finished_event_at = COALESCE(excluded.finished_event_at, cur.finished_event_at),
           device_id = excluded.device_id
         WHERE ${ticketProgress('excluded')} >= ${ticketProgress('cur')}`,
        [hallId, a.hallDay, deviceId, JSON.stringify(tickets)],
      );
    }
    if (a.sessions.length > 0) {
      const sessions = a.sessions.map((s) => ({
        counter_id: s.counterId,
        clerk_id: s.clerkId,
        clerk_name: s.clerkName,
        signed_in_at: s.signedInAt,
        signed_out_at: s.signedOutAt,
      }));
      await tx.query(
        `INSERT INTO queue_archived_sessions (hall_id, counter_id, clerk_id, signed_in_at, signed_out_at, clerk_name)
         SELECT $1, x.counter_id, x.clerk_id, x.signed_in_at, x.signed_out_at, x.clerk_name
           FROM jsonb_to_recordset($2::jsonb) AS x(counter_id text, clerk_id text, signed_in_at text,
                signed_out_at text, clerk_name text)
         ON CONFLICT (hall_id, counter_id, clerk_id, signed_in_at) DO UPDATE
           SET signed_out_at = COALESCE(excluded.signed_out_at, queue_archived_sessions.signed_out_at),
               clerk_name = excluded.clerk_name`,
        [hallId, JSON.stringify(sessions)],
      );
    }
  },

  async tickets(db: Db, hallId: string, from: string, to: string): Promise<ArchivedTicketRow[]> {
    const { rows } = await db.query<ArchivedTicketRow>(
      `SELECT ticket_id, hall_day, queue_id, parent_id, state, counter_id, issued_at, first_called_at,
              service_started_at, finished_at, finished_by, finished_by_name, finished_event_at
         FROM queue_archived_tickets WHERE hall_id = $1 AND hall_day BETWEEN $2 AND $3
        ORDER BY issued_at, ticket_id`,
      [hallId, from, to],
    );
    return rows;
  },

  /** Sign-ins overlapping [fromInstant, toInstant). */
  async sessions(db: Db, hallId: string, fromInstant: string, toInstant: string): Promise<ArchivedSessionRow[]> {
    const { rows } = await db.query<ArchivedSessionRow>(
      `SELECT clerk_id, clerk_name, signed_in_at, signed_out_at FROM queue_archived_sessions
        WHERE hall_id = $1 AND signed_in_at < $3 AND (signed_out_at IS NULL OR signed_out_at > $2)
        ORDER BY signed_in_at, counter_id, clerk_id`,
      [hallId, fromInstant, toInstant],
    );
    return rows;
  },

  /** The queues and counters of the archived days in the range, else of the hall's latest archived day. */
  async rosters(db: Db, hallId: string, from: string, to: string): Promise<ArchivedRoster[]> {
    const { rows } = await db.query<ArchivedRoster>(
      `SELECT hall_day, queues, counters FROM queue_archived_days
        WHERE hall_id = $1 AND hall_day BETWEEN $2 AND $3 ORDER BY hall_day`,
      [hallId, from, to],
    );
    if (rows.length > 0) return rows;
    const latest = await db.query<ArchivedRoster>(
      `SELECT hall_day, queues, counters FROM queue_archived_days WHERE hall_id = $1
        ORDER BY hall_day DESC LIMIT 1`,
      [hallId],
    );
    return latest.rows;
  },
};
