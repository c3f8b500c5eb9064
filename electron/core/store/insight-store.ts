import { countedRatingSql } from '@shared/intake/intake-stats';
import { OPEN_FEEDBACK_STATUSES } from '@shared/intake/feedback-states';
import type { Database } from 'better-sqlite3';
import type { Feedback } from '@shared/api';
import { OPEN_STATES_SQL } from './case-store';
import { idTextSql, timeTextSql } from './packed-keys';
import type { TicketFactColumns } from '@shared/insight/ticket-stats';

/** One ticket of the range, live or archived, with the instants the statistics are made of. */
export interface InsightTicketRow extends TicketFactColumns {
  id: string;
  hall_day: string;
}

/** A finished service, with the clerk on duty at the counter (null on events older than that detail). */
export interface InsightServiceEvent {
  ticket_id: string;
  hall_day: string;
  at: string;
  clerk_id: string | null;
}

/** A clerk's sign-in at a counter; open while they are still signed in. */
export interface InsightSession {
  clerk_id: string;
  signed_in_at: string;
  signed_out_at: string | null;
}

const TICKET_COLUMNS = `id, hall_day, queue_id, parent_id, state, counter_id, issued_at, first_called_at,
  service_started_at, finished_at`;
const EVENT_COLUMNS = `ticket_id, hall_day, at, json_extract(detail, '$.clerkId') AS clerk_id`;
/** The same columns of the history, whose ids and instants are kept packed (ticket-history-packing.ts). */
const HISTORY_TICKET_COLUMNS = `${idTextSql('id')} AS id, hall_day, queue_id, ${idTextSql('parent_id')} AS parent_id,
  state, counter_id, ${timeTextSql('issued_at')} AS issued_at, ${timeTextSql('first_called_at')} AS first_called_at,
  ${timeTextSql('service_started_at')} AS service_started_at, ${timeTextSql('finished_at')} AS finished_at`;
const HISTORY_EVENT_COLUMNS = `${idTextSql('ticket_id')} AS ticket_id, hall_day, ${timeTextSql('at')} AS at,
  json_extract(detail, '$.clerkId') AS clerk_id`;

/** What the queue statistics read: today's tickets and the archived days alike. */
export function createQueueInsightStore(db: Database) {
  const s = {
    tickets: db.prepare<[string, string, string, string], InsightTicketRow>(`
      SELECT ${TICKET_COLUMNS} FROM tickets WHERE hall_day BETWEEN ? AND ?
      UNION ALL
      SELECT ${HISTORY_TICKET_COLUMNS} FROM ticket_history WHERE hall_day BETWEEN ? AND ?`),
    finishEvents: db.prepare<[string, string, string, string], InsightServiceEvent>(`
      SELECT ${EVENT_COLUMNS} FROM ticket_events
       WHERE hall_day BETWEEN ? AND ? AND action = 'finish'
      UNION ALL
      SELECT ${HISTORY_EVENT_COLUMNS} FROM ticket_event_history
       WHERE hall_day BETWEEN ? AND ? AND action = 'finish'
      ORDER BY at`),
    queues: db.prepare<[], { id: string; name_zh: string; name_en: string }>(
      'SELECT id, name_zh, name_en FROM queues ORDER BY sort_order, id',
    ),
    counters: db.prepare<[], { id: string; number: number; name: string }>(
      'SELECT id, number, name FROM counters ORDER BY number',
    ),
    clerks: db.prepare<[], { id: string; name: string }>('SELECT id, name FROM staff ORDER BY id'),
    sessions: db.prepare<[string, string], InsightSession>(`
      SELECT clerk_id, signed_in_at, signed_out_at FROM counter_sessions
       WHERE signed_in_at < ? AND (signed_out_at IS NULL OR signed_out_at > ?)
       ORDER BY signed_in_at`),
  };
  return {
    tickets: (from: string, to: string) => s.tickets.all(from, to, from, to),
    finishEvents: (from: string, to: string) => s.finishEvents.all(from, to, from, to),
    queues: () => s.queues.all(),
    counters: () => s.counters.all(),
    clerks: () => s.clerks.all(),
    /** Sessions overlapping [fromInstant, toInstant). */
    sessions: (fromInstant: string, toInstant: string) => s.sessions.all(toInstant, fromInstant),
  };
}
export type QueueInsightStore = ReturnType<typeof createQueueInsightStore>;

/** An open feedback item near or past its deadline, by the hall's reckoning or central's escalation. */
export interface FeedbackDueRow {
  id: string;
  number: string;
  kind: Feedback['kind'];
  category: Feedback['category'];
  status: Feedback['status'];
  channel: Feedback['channel'];
  department_name_zh: string | null;
  department_name_en: string | null;
  due_date: string;
  escalation: 'none' | 'due_soon' | 'overdue';
}

/**
 * What the intake statistics read: counts of cases, feedback, return visits and ratings whose instant
 * (ISO, UTC) lies in [fromInstant, toInstant).
 */
export function createIntakeInsightStore(db: Database) {
  const s = {
    casesByMatter: db.prepare<
      [string, string],
      { matter_code: string; name_zh: string; name_en: string; count: number }
    >(`
      SELECT c.matter_code, MIN(n.matter_name_zh) AS name_zh, MIN(n.matter_name_en) AS name_en, COUNT(*) AS count
        FROM cases c JOIN case_names n ON n.id = c.names_id WHERE c.created_at >= ? AND c.created_at < ?
       GROUP BY c.matter_code ORDER BY count DESC, c.matter_code`),
    casesByState: db.prepare<[string, string], { state: string; count: number }>(`
      SELECT state, COUNT(*) AS count FROM cases WHERE created_at >= ? AND created_at < ? GROUP BY state`),
    overdueCases: db.prepare<
      [string, number],
      { case_number: string; matter_name_zh: string; matter_name_en: string; state: string; promised_date: string }
    >(`
      SELECT c.case_number, n.matter_name_zh, n.matter_name_en, c.state, c.promised_date
        FROM cases c JOIN case_names n ON n.id = c.names_id
       WHERE c.state IN (${OPEN_STATES_SQL}) AND c.promised_date < ?
       ORDER BY c.promised_date, c.case_number LIMIT ?`),
    supplementCases: db.prepare<
      [number],
      { case_number: string; matter_name_zh: string; matter_name_en: string; missing: string; updated_at: string }
    >(`
      SELECT c.case_number, n.matter_name_zh, n.matter_name_en, c.missing, c.updated_at
        FROM cases c JOIN case_names n ON n.id = c.names_id
       WHERE c.state = 'supplement_requested' ORDER BY c.updated_at, c.case_number LIMIT ?`),
    feedbackDue: db.prepare<[string, number], FeedbackDueRow>(`
      SELECT f.id, f.number, f.kind, f.category, f.status, f.channel, f.due_date, f.escalation,
             d.name_zh AS department_name_zh, d.name_en AS department_name_en
        FROM feedback f LEFT JOIN departments d ON d.id = f.department_id
       WHERE f.status IN (${OPEN_FEEDBACK_STATUSES.map((st) => `'${st}'`).join(', ')})
         AND (f.due_date <= ? OR f.escalation <> 'none')
       ORDER BY f.due_date, f.number LIMIT ?`),
    feedbackByKindStatus: db.prepare<[string, string], { kind: string; status: string; count: number }>(`
      SELECT kind, status, COUNT(*) AS count FROM feedback
       WHERE created_at >= ? AND created_at < ? AND channel <> 'rating'
       GROUP BY kind, status`),
    returnVisits: db.prepare<
      [{ fromDate: string; toDate: string; fromInstant: string; toInstant: string }],
      { scheduled: number; scheduledDone: number; done: number }
    >(`
      SELECT COUNT(*) AS scheduled, COUNT(done_at) AS scheduledDone,
             (SELECT COUNT(*) FROM return_visits WHERE done_at >= @fromInstant AND done_at < @toInstant) AS done
        FROM return_visits WHERE scheduled_for BETWEEN @fromDate AND @toDate`),
    ratingsByLevel: db.prepare<[string, string], { level: number; count: number }>(`
      SELECT r.level, COUNT(*) AS count FROM ratings r
       WHERE r.at >= ? AND r.at < ? AND ${countedRatingSql('id')} GROUP BY r.level`),
    rectification: db.prepare<[string, string, number], { status: string; count: number }>(`
      SELECT f.status, COUNT(*) AS count FROM ratings r JOIN feedback f ON f.rating_id = r.id
       WHERE r.at >= ? AND r.at < ? AND r.level <= ? AND ${countedRatingSql('id')} GROUP BY f.status`),
  };
  return {
    casesByMatter: (fromInstant: string, toInstant: string) => s.casesByMatter.all(fromInstant, toInstant),
    casesByState: (fromInstant: string, toInstant: string) => s.casesByState.all(fromInstant, toInstant),
    overdueCases: (today: string, limit: number) => s.overdueCases.all(today, limit),
    /** Cases waiting for the applicant's 补正, longest waiting first. */
    supplementCases: (limit: number) => s.supplementCases.all(limit),
    /** Open feedback due on or before `soonLimit` (a hall date) or escalated by central, soonest first. */
    feedbackDue: (soonLimit: string, limit: number) => s.feedbackDue.all(soonLimit, limit),
    feedbackByKindStatus: (fromInstant: string, toInstant: string) =>
      s.feedbackByKindStatus.all(fromInstant, toInstant),
    /**
     * Return visits planned for a hall date within [fromDate, toDate] (and how many of them are done), and
     * those done within [fromInstant, toInstant), the same days as instants.
     */
    returnVisits: (range: { fromDate: string; toDate: string; fromInstant: string; toInstant: string }) =>
      s.returnVisits.get(range)!,
    ratingsByLevel: (fromInstant: string, toInstant: string) => s.ratingsByLevel.all(fromInstant, toInstant),
    rectification: (fromInstant: string, toInstant: string, badMax: number) =>
      s.rectification.all(fromInstant, toInstant, badMax),
  };
}
export type IntakeInsightStore = ReturnType<typeof createIntakeInsightStore>;
