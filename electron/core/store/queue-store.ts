import type { Database } from 'better-sqlite3';
import type { Counter, Queue, QueueSettings, Ticket } from '@shared/api';
import type { TicketAction, TicketState } from '@shared/queue/ticket-states';
import { createCommandLogStore } from './command-log-store';
import { historyColumns, type HistoryTable } from './ticket-history-packing';
import { toTicket, type TicketRecord, type TicketRow } from './ticket-row';
import { createWaitingQueries } from './waiting-queries';

export type { TicketRecord } from './ticket-row';

interface QueueRow {
  id: string;
  prefix: string;
  name_zh: string;
  name_en: string;
  group_zh: string;
  group_en: string;
  applicant_types: string;
  daily_max: number;
  opens_at: string;
  closes_at: string;
  avg_service_seconds: number;
  active: number;
  sort_order: number;
}
interface CounterRow {
  id: string;
  number: number;
  name: string;
  queue_ids: string;
  status: Counter['status'];
  clerk_id: string | null;
  clerk_name: string | null;
  signed_in_origin: string | null;
  current_ticket_id: string | null;
}
interface AppointmentRow {
  code: string;
  queue_id: string;
  applicant_type: string;
  window_start: string;
  window_end: string;
  ticket_id: string | null;
  holder_hash: string | null;
}
export interface NewTicket {
  id: string;
  hallDay: string;
  queueId: string;
  seq: number;
  number: string;
  priority: Ticket['priority'];
  applicantType: Ticket['applicantType'];
  appointmentCode: string | null;
  apptStartMs: number;
  apptEndMs: number;
  arrivedAt: string;
  issuedAt: string;
  parentId: string | null;
  targetCounterId: string | null;
  reactivated: boolean;
  holderHash?: string | null;
}

const toQueue = (r: QueueRow): Queue => ({
  id: r.id,
  prefix: r.prefix,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  groupZh: r.group_zh,
  groupEn: r.group_en,
  applicantTypes: JSON.parse(r.applicant_types) as Queue['applicantTypes'],
  dailyMax: r.daily_max,
  opensAt: r.opens_at,
  closesAt: r.closes_at,
  avgServiceSeconds: r.avg_service_seconds,
  active: r.active === 1,
  sortOrder: r.sort_order,
});

export interface CounterRecord extends Counter {
  signedInOrigin: string | null;
}
const toCounter = (r: CounterRow): CounterRecord => ({
  id: r.id,
  number: r.number,
  name: r.name,
  queueIds: JSON.parse(r.queue_ids) as string[],
  status: r.status,
  clerkId: r.clerk_id,
  clerkName: r.clerk_name,
  currentTicketId: r.current_ticket_id,
  signedInOrigin: r.signed_in_origin,
});

const COUNTER_SELECT = `
  SELECT c.id, c.number, c.name, c.queue_ids, c.status, c.clerk_id, k.name AS clerk_name, c.signed_in_origin,
         c.current_ticket_id
  FROM counters c LEFT JOIN staff k ON k.id = c.clerk_id`;

/** All SQL of the hall queue. Callers wrap multi-step changes in `transaction`. */
export function createQueueStore(db: Database) {
  // Where the daily reset holds the day's rows while it frees their pages (archiveBefore): per connection.
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS moving_tickets AS SELECT * FROM main.tickets WHERE 0;
    CREATE TEMP TABLE IF NOT EXISTS moving_ticket_events AS SELECT * FROM main.ticket_events WHERE 0;`);
  // The command log is shared with the intake's commands: one store keeps its SQL and its packed keys.
  const commandLog = createCommandLogStore(db);
  /** The held rows as the history keeps them: its ids and instants packed (ticket-history-packing.ts). */
  const packedRows = (table: HistoryTable, from: string) =>
    `SELECT ${historyColumns(db, table)
      .map((c) => c.packed)
      .join(', ')} FROM ${from}`;
  const s = {
    settings: db.prepare<[], Record<string, unknown>>('SELECT * FROM queue_settings WHERE id = 1'),
    putSettings: db.prepare(`
      INSERT INTO queue_settings (id, time_zone, reset_time, no_show_after_calls, no_show_grace_seconds,
        priority_streak_limit, appointment_early_minutes, appointment_late_minutes)
      VALUES (1, @timeZone, @resetTime, @noShowAfterCalls, @noShowGraceSeconds, @priorityStreakLimit,
        @appointmentEarlyMinutes, @appointmentLateMinutes)
      ON CONFLICT (id) DO UPDATE SET time_zone = excluded.time_zone, reset_time = excluded.reset_time,
        no_show_after_calls = excluded.no_show_after_calls, no_show_grace_seconds = excluded.no_show_grace_seconds,
        priority_streak_limit = excluded.priority_streak_limit,
        appointment_early_minutes = excluded.appointment_early_minutes,
        appointment_late_minutes = excluded.appointment_late_minutes`),
    currentDay: db.prepare<[], { current_hall_day: string | null }>(
      'SELECT current_hall_day FROM queue_settings WHERE id = 1',
    ),
    setCurrentDay: db.prepare('UPDATE queue_settings SET current_hall_day = ? WHERE id = 1'),
    queues: db.prepare<[], QueueRow>('SELECT * FROM queues ORDER BY sort_order, prefix'),
    queue: db.prepare<[string], QueueRow>('SELECT * FROM queues WHERE id = ?'),
    upsertQueue: db.prepare(`
      INSERT INTO queues (id, prefix, name_zh, name_en, group_zh, group_en, applicant_types, daily_max, opens_at,
        closes_at, avg_service_seconds, active, sort_order)
      VALUES (@id, @prefix, @nameZh, @nameEn, @groupZh, @groupEn, @applicantTypes, @dailyMax, @opensAt, @closesAt,
        @avgServiceSeconds, @active, @sortOrder)
      ON CONFLICT (id) DO UPDATE SET prefix = excluded.prefix, name_zh = excluded.name_zh, name_en = excluded.name_en,
        group_zh = excluded.group_zh, group_en = excluded.group_en, applicant_types = excluded.applicant_types,
        daily_max = excluded.daily_max, opens_at = excluded.opens_at, closes_at = excluded.closes_at,
        avg_service_seconds = excluded.avg_service_seconds, active = excluded.active, sort_order = excluded.sort_order`),
    counters: db.prepare<[], CounterRow>(`${COUNTER_SELECT} ORDER BY c.number`),
    counter: db.prepare<[string], CounterRow>(`${COUNTER_SELECT} WHERE c.id = ?`),
    openCountersServing: db.prepare<[string], { n: number }>(`
      SELECT COUNT(*) AS n FROM counters c
      WHERE c.status = 'open' AND EXISTS (SELECT 1 FROM json_each(c.queue_ids) WHERE value = ?)`),
    upsertCounter: db.prepare(`
      INSERT INTO counters (id, number, name, queue_ids) VALUES (@id, @number, @name, @queueIds)
      ON CONFLICT (id) DO UPDATE SET number = excluded.number, name = excluded.name, queue_ids = excluded.queue_ids`),
    setCounterState: db.prepare(`
      UPDATE counters SET status = @status, clerk_id = @clerkId, signed_in_origin = @origin WHERE id = @id`),
    setCounterCurrent: db.prepare('UPDATE counters SET current_ticket_id = ? WHERE id = ?'),
    countersOfClerk: db.prepare<[string], CounterRow>(
      `${COUNTER_SELECT} WHERE c.clerk_id = ? AND c.status <> 'closed'`,
    ),
    nextSeq: db.prepare<[string, string], { last_seq: number }>(`
      INSERT INTO queue_day_seq (hall_day, queue_id, last_seq) VALUES (?, ?, 1)
      ON CONFLICT (hall_day, queue_id) DO UPDATE SET last_seq = last_seq + 1
      RETURNING last_seq`),
    lastSeq: db.prepare<[string, string], { last_seq: number }>(
      'SELECT last_seq FROM queue_day_seq WHERE hall_day = ? AND queue_id = ?',
    ),
    insertTicket: db.prepare<[Record<string, unknown>], TicketRow>(`
      INSERT INTO tickets (id, hall_day, queue_id, seq, number, state, priority, applicant_type, appointment_code,
        appt_start_ms, appt_end_ms, arrived_at, arrived_ms, issued_at, parent_id, target_counter_id, reactivated,
        holder_hash)
      VALUES (@id, @hallDay, @queueId, @seq, @number, 'waiting', @priority, @applicantType, @appointmentCode,
        @apptStartMs, @apptEndMs, @arrivedAt, @arrivedMs, @issuedAt, @parentId, @targetCounterId, @reactivated,
        @holderHash)
      RETURNING *`),
    ticket: db.prepare<[string], TicketRow>('SELECT * FROM tickets WHERE id = ?'),
    updateTicket: db.prepare(`
      UPDATE tickets SET state = @state, counter_id = @counterId, call_count = @callCount,
        first_called_at = @firstCalledAt, last_called_at = @lastCalledAt, reactivated = @reactivated,
        service_started_at = COALESCE(@serviceStartedAt, service_started_at), finished_at = COALESCE(@finishedAt, finished_at)
      WHERE id = @id`),
    byState: db.prepare<[string, string], TicketRow>(
      'SELECT * FROM tickets WHERE hall_day = ? AND state = ? ORDER BY arrived_ms, seq',
    ),
    noShowsIn: db.prepare<[string, string], TicketRow>(`
      SELECT * FROM tickets WHERE hall_day = ? AND state = 'no_show' AND reactivated = 0
        AND queue_id IN (SELECT value FROM json_each(?)) ORDER BY last_called_at DESC`),
    // The queue's day counts (device migration 025), kept by triggers on tickets.
    serviceStats: db.prepare<[string, string], { served: number; avg_service: number | null }>(`
      SELECT served, CASE WHEN served > 0 THEN CAST(ROUND(service_seconds / served) AS INTEGER) END AS avg_service
      FROM queue_day_seq WHERE hall_day = ? AND queue_id = ?`),
    waitingCount: db.prepare<[{ hallDay: string; queueId: string }], { n: number }>(`
      SELECT coalesce((SELECT waiting_regular + waiting_priority FROM queue_day_seq
          WHERE hall_day = @hallDay AND queue_id = @queueId), 0)
        + (SELECT COUNT(*) FROM tickets INDEXED BY tickets_transferred
           WHERE hall_day = @hallDay AND state = 'waiting' AND target_counter_id IS NOT NULL AND queue_id = @queueId) AS n`),
    insertEvent: db.prepare(`
      INSERT INTO ticket_events (ticket_id, hall_day, action, from_state, to_state, at, counter_id, actor, detail)
      VALUES (@ticketId, @hallDay, @action, @fromState, @toState, @at, @counterId, @actor, @detail)`),
    recentCalls: db.prepare<
      [string, number],
      {
        id: number;
        ticket_id: string;
        number: string;
        queue_id: string;
        counter_number: number;
        action: string;
        at: string;
      }
    >(`
      SELECT e.id, e.ticket_id, t.number, t.queue_id, c.number AS counter_number, e.action, e.at
      FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id JOIN counters c ON c.id = e.counter_id
      WHERE e.hall_day = ? AND e.action IN ('call', 'recall')
      ORDER BY e.id DESC LIMIT ?`),
    /** Each recently called ticket once: its latest call, recalls since it was last called, its state now. */
    recentCalledTickets: db.prepare<
      [string, number],
      {
        id: number;
        ticket_id: string;
        number: string;
        queue_id: string;
        counter_number: number;
        at: string;
        state: string;
        recalls: number;
      }
    >(`
      SELECT e.id, e.ticket_id, t.number, t.queue_id, c.number AS counter_number, e.at, t.state,
        (SELECT COUNT(*) FROM ticket_events r
          WHERE r.ticket_id = e.ticket_id AND r.action = 'recall'
            AND r.id > COALESCE((SELECT MAX(k.id) FROM ticket_events k
              WHERE k.ticket_id = e.ticket_id AND k.action = 'call'), 0)) AS recalls
      FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id JOIN counters c ON c.id = e.counter_id
      WHERE e.id IN (SELECT MAX(id) FROM ticket_events
        WHERE hall_day = ? AND action IN ('call', 'recall') GROUP BY ticket_id)
      ORDER BY e.id DESC LIMIT ?`),
    reprintCount: db.prepare<[string], { n: number }>(
      "SELECT COUNT(*) AS n FROM ticket_events WHERE ticket_id = ? AND action = 'reprint'",
    ),
    latestCallId: db.prepare<[string], { id: number | null }>(
      "SELECT MAX(id) AS id FROM ticket_events WHERE ticket_id = ? AND action IN ('call', 'recall')",
    ),
    counterCallPriorities: db.prepare<[string, string], { priority: string }>(`
      SELECT t.priority FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
      WHERE e.hall_day = ? AND e.counter_id = ? AND e.action = 'call'
      ORDER BY e.id DESC LIMIT 50`),
    insertAppointment: db.prepare(`
      INSERT INTO appointments (code, queue_id, applicant_type, window_start, window_end, holder_hash)
      VALUES (@code, @queueId, @applicantType, @windowStart, @windowEnd, @holderHash)`),
    appointment: db.prepare<[string], AppointmentRow>('SELECT * FROM appointments WHERE code = ?'),
    appointmentsOfHolder: db.prepare<[string], AppointmentRow>(
      'SELECT * FROM appointments WHERE holder_hash = ? ORDER BY window_start',
    ),
    setAppointmentTicket: db.prepare('UPDATE appointments SET ticket_id = ? WHERE code = ?'),
    wrongCodesSince: db.prepare<[string, number], { at_ms: number }>(
      'SELECT at_ms FROM check_in_attempts WHERE device_key = ? AND at_ms > ? ORDER BY at_ms',
    ),
    insertWrongCode: db.prepare('INSERT INTO check_in_attempts (device_key, at_ms) VALUES (?, ?)'),
    pruneWrongCodes: db.prepare('DELETE FROM check_in_attempts WHERE at_ms <= ?'),
    kpis: db.prepare<
      [{ now: number; day: string }],
      {
        queue_id: string;
        waiting: number;
        issued: number;
        served: number;
        no_shows: number;
        avg_wait: number | null;
        longest_wait: number | null;
        avg_service: number | null;
      }
    >(`
      SELECT q.id AS queue_id,
        COALESCE(SUM(t.state = 'waiting'), 0) AS waiting,
        COALESCE(SUM(t.id IS NOT NULL AND t.parent_id IS NULL), 0) AS issued,
        COALESCE(SUM(t.state = 'done'), 0) AS served,
        COALESCE(SUM(t.state = 'no_show'), 0) AS no_shows,
        CAST(ROUND(AVG(CASE WHEN t.first_called_at IS NOT NULL THEN unixepoch(t.first_called_at, 'subsec') - unixepoch(t.arrived_at, 'subsec') END)) AS INTEGER) AS avg_wait,
        CAST(MAX(CASE WHEN t.state = 'waiting' THEN (@now - t.arrived_ms) / 1000 END) AS INTEGER) AS longest_wait,
        CAST(ROUND(AVG(CASE WHEN t.finished_at IS NOT NULL THEN unixepoch(t.finished_at, 'subsec') - unixepoch(t.service_started_at, 'subsec') END)) AS INTEGER) AS avg_service
      FROM queues q LEFT JOIN tickets t ON t.queue_id = q.id AND t.hall_day = @day
      GROUP BY q.id ORDER BY q.sort_order, q.prefix`),
    holdTickets: db.prepare('INSERT INTO temp.moving_tickets SELECT * FROM main.tickets WHERE hall_day < ?'),
    holdEvents: db.prepare('INSERT INTO temp.moving_ticket_events SELECT * FROM main.ticket_events WHERE hall_day < ?'),
    deleteArchivedEvents: db.prepare('DELETE FROM main.ticket_events WHERE hall_day < ?'),
    deleteArchivedTickets: db.prepare('DELETE FROM main.tickets WHERE hall_day < ?'),
    archiveTickets: db.prepare(`INSERT INTO ticket_history ${packedRows('ticket_history', 'temp.moving_tickets')}`),
    archiveEvents: db.prepare(
      `INSERT INTO ticket_event_history ${packedRows('ticket_event_history', 'temp.moving_ticket_events')}`,
    ),
    releaseTickets: db.prepare('DELETE FROM temp.moving_tickets'),
    releaseEvents: db.prepare('DELETE FROM temp.moving_ticket_events'),
    clearCounterTickets: db.prepare('UPDATE counters SET current_ticket_id = NULL'),
    historyCount: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM ticket_history WHERE hall_day = ?'),
    closeSession: db.prepare(
      'UPDATE counter_sessions SET signed_out_at = ? WHERE counter_id = ? AND signed_out_at IS NULL',
    ),
    openSession: db.prepare('INSERT INTO counter_sessions (counter_id, clerk_id, signed_in_at) VALUES (?, ?, ?)'),
  };

  type Settings = QueueSettings & { currentHallDay: string | null };
  const readSettings = (): Settings | undefined => {
    const r = s.settings.get();
    return (
      r && {
        timeZone: r.time_zone as string,
        resetTime: r.reset_time as string,
        noShowAfterCalls: r.no_show_after_calls as number,
        noShowGraceSeconds: r.no_show_grace_seconds as number,
        priorityStreakLimit: r.priority_streak_limit as number,
        appointmentEarlyMinutes: r.appointment_early_minutes as number,
        appointmentLateMinutes: r.appointment_late_minutes as number,
        currentHallDay: r.current_hall_day as string | null,
      }
    );
  };
  let txDepth = 0;
  let heldSettings: Settings | undefined;

  return {
    ...createWaitingQueries(db),
    /** Runs `fn` in one BEGIN IMMEDIATE transaction: all of it is written, or none. */
    transaction<T>(fn: () => T): T {
      return db
        .transaction(() => {
          txDepth += 1;
          try {
            return fn();
          } finally {
            txDepth -= 1;
            // Also when a nested transaction (a savepoint) ends: its rollback may take back what was read.
            heldSettings = undefined;
          }
        })
        .immediate();
    },
    /**
     * Read once a transaction: a command asked for them four times. The write lock keeps them as read until
     * the transaction ends, and this store's own writes drop the copy.
     */
    settings(): Settings | undefined {
      if (heldSettings) return heldSettings;
      const read = readSettings();
      if (txDepth > 0 && read) heldSettings = Object.freeze(read);
      return read;
    },
    putSettings: (v: QueueSettings) => {
      heldSettings = undefined;
      s.putSettings.run(v);
    },
    setCurrentDay: (day: string) => {
      heldSettings = undefined;
      s.setCurrentDay.run(day);
    },
    queues: () => s.queues.all().map(toQueue),
    queue: (id: string) => {
      const r = s.queue.get(id);
      return r && toQueue(r);
    },
    upsertQueue: (q: Queue) =>
      void s.upsertQueue.run({ ...q, applicantTypes: JSON.stringify(q.applicantTypes), active: q.active ? 1 : 0 }),
    counters: () => s.counters.all().map(toCounter),
    /** How many open counters serve the queue: every issue's wait estimate divides by it. */
    openCountersServing: (queueId: string) => s.openCountersServing.get(queueId)!.n,
    counter: (id: string) => {
      const r = s.counter.get(id);
      return r && toCounter(r);
    },
    upsertCounter: (c: Pick<Counter, 'id' | 'number' | 'name' | 'queueIds'>) =>
      void s.upsertCounter.run({ ...c, queueIds: JSON.stringify(c.queueIds) }),
    setCounterState: (id: string, status: Counter['status'], clerkId: string | null, origin: string | null) =>
      void s.setCounterState.run({ id, status, clerkId, origin }),
    setCounterCurrent: (id: string, ticketId: string | null) => void s.setCounterCurrent.run(ticketId, id),
    /** The counters a clerk holds open (at most one, once one clerk holds one window). */
    countersOfClerk: (staffId: string): CounterRecord[] => s.countersOfClerk.all(staffId).map(toCounter),
    nextSeq: (hallDay: string, queueId: string) => s.nextSeq.get(hallDay, queueId)!.last_seq,
    issuedCount: (hallDay: string, queueId: string) => s.lastSeq.get(hallDay, queueId)?.last_seq ?? 0,
    /** The ticket as written, its defaults filled in (RETURNING: no second read). */
    insertTicket: (t: NewTicket) =>
      toTicket(
        s.insertTicket.get({
          ...t,
          arrivedMs: Date.parse(t.arrivedAt),
          reactivated: t.reactivated ? 1 : 0,
          holderHash: t.holderHash ?? null,
        })!,
      ),
    ticket: (id: string) => {
      const r = s.ticket.get(id);
      return r && toTicket(r);
    },
    updateTicket: (t: TicketRecord, times: { serviceStartedAt?: string; finishedAt?: string } = {}) =>
      void s.updateTicket.run({
        id: t.id,
        state: t.state,
        counterId: t.counterId,
        callCount: t.callCount,
        firstCalledAt: t.firstCalledAt,
        lastCalledAt: t.lastCalledAt,
        reactivated: t.reactivated ? 1 : 0,
        serviceStartedAt: times.serviceStartedAt ?? null,
        finishedAt: times.finishedAt ?? null,
      }),
    serviceStats: (hallDay: string, queueId: string) =>
      s.serviceStats.get(hallDay, queueId) ?? { served: 0, avg_service: null },
    waitingCount: (hallDay: string, queueId: string) => s.waitingCount.get({ hallDay, queueId })!.n,
    ticketsInState: (hallDay: string, state: TicketState) => s.byState.all(hallDay, state).map(toTicket),
    noShowsIn: (hallDay: string, queueIds: string[]) =>
      s.noShowsIn.all(hallDay, JSON.stringify(queueIds)).map(toTicket),
    insertEvent: (e: {
      ticketId: string;
      hallDay: string;
      action: TicketAction | 'issue' | 'reprint';
      fromState: TicketState | null;
      toState: TicketState;
      at: string;
      counterId: string | null;
      actor: string;
      detail?: unknown;
    }) =>
      Number(
        s.insertEvent.run({ ...e, detail: e.detail === undefined ? null : JSON.stringify(e.detail) }).lastInsertRowid,
      ),
    recentCalls: (hallDay: string, limit: number) => s.recentCalls.all(hallDay, limit),
    recentCalledTickets: (hallDay: string, limit: number) =>
      s.recentCalledTickets.all(hallDay, limit).map((r) => ({ ...r, state: r.state as TicketState })),
    /** The kiosk reprints a ticket has had (event rows, so they survive a restart). */
    reprintCount: (ticketId: string) => s.reprintCount.get(ticketId)!.n,
    /** The event id of a ticket's latest call or recall: the `callId` screens know that call by. */
    latestCallId: (ticketId: string) => s.latestCallId.get(ticketId)?.id ?? undefined,
    /** How many of this counter's latest calls in a row were priority tickets. */
    priorityStreak(hallDay: string, counterId: string): number {
      let n = 0;
      for (const r of s.counterCallPriorities.iterate(hallDay, counterId)) {
        if (r.priority === 'none') break;
        n += 1;
      }
      return n;
    },
    insertAppointment: (a: {
      code: string;
      queueId: string;
      applicantType: string;
      windowStart: string;
      windowEnd: string;
      holderHash: string | null;
    }) => void s.insertAppointment.run(a),
    appointment: (code: string) => s.appointment.get(code),
    appointmentsOfHolder: (holderHash: string) => s.appointmentsOfHolder.all(holderHash),
    setAppointmentTicket: (code: string, ticketId: string) => void s.setAppointmentTicket.run(ticketId, code),
    /** When a device (its check-in key) sent each wrong appointment code after `sinceMs`, oldest first. */
    wrongCodesSince: (deviceKey: string, sinceMs: number) =>
      s.wrongCodesSince.all(deviceKey, sinceMs).map((r) => r.at_ms),
    /** Records one wrong code and forgets every try of any device at or before `pruneBeforeMs`, in one transaction. */
    recordWrongCode: (deviceKey: string, atMs: number, pruneBeforeMs: number) =>
      db.transaction(() => {
        s.pruneWrongCodes.run(pruneBeforeMs);
        s.insertWrongCode.run(deviceKey, atMs);
      })(),
    command: commandLog.get,
    putCommand: (mutationId: string, method: string, result: unknown, at: string) =>
      void commandLog.put(mutationId, method, result, at),
    kpis: (hallDay: string, nowMs: number) => s.kpis.all({ now: nowMs, day: hallDay }),
    /**
     * Moves every ticket and event of days before `hallDay` to history, in the caller's transaction. The rows
     * are held aside and deleted before history is written, so history takes the pages they leave: copied
     * first, the file grew by a day's tickets every day, and their freed pages waited a day for reuse.
     */
    archiveBefore(hallDay: string): number {
      const moved = s.holdTickets.run(hallDay).changes;
      s.holdEvents.run(hallDay);
      s.deleteArchivedEvents.run(hallDay);
      s.deleteArchivedTickets.run(hallDay);
      s.archiveTickets.run();
      s.archiveEvents.run();
      s.releaseTickets.run();
      s.releaseEvents.run();
      s.clearCounterTickets.run();
      return moved;
    },
    historyCount: (hallDay: string) => s.historyCount.get(hallDay)!.n,
    /** Answers of commands (queue and intake) older than any retry: their mutation ids never come again. */
    pruneCommandsBefore: commandLog.pruneBefore,
    /** Ends the counter's open session (if any) and, with a clerk, opens theirs: the log of time on duty. */
    logSession(counterId: string, clerkId: string | null, at: string) {
      s.closeSession.run(at, counterId);
      if (clerkId) s.openSession.run(counterId, clerkId, at);
    },
  };
}
export type QueueStore = ReturnType<typeof createQueueStore>;
