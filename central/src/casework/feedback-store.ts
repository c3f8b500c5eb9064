import type { FeedbackStatus } from '@shared/intake/feedback-states';
import type { Db, Tx } from '../db/pool';
import { likePrefix, queueFilterSql, type QueueFilter } from './queue-filter';

type Q = Db | Tx;

/** A feedback item as central holds it, with the names and the 差评 the console shows. */
export interface FeedbackRow {
  feedbackId: string;
  hallId: string;
  hallName: string;
  number: string;
  kind: string;
  channel: string | null;
  category: string;
  status: FeedbackStatus;
  version: number;
  content: string;
  contactMasked: string | null;
  phoneMasked: string | null;
  departmentId: string | null;
  departmentName: string | null;
  caseNumber: string | null;
  ratingId: string | null;
  ratingLevel: number | null;
  dueDate: string;
  createdAt: Date;
  answer: string | null;
  answeredAt: Date | null;
  answeredBy: string | null;
  profileId: string | null;
}

const FEEDBACK_COLUMNS = `f.feedback_id AS "feedbackId", f.hall_id AS "hallId", h.name AS "hallName", f.number,
  f.kind, f.channel, f.category, f.status, f.version, f.content, f.contact_masked AS "contactMasked",
  f.phone_masked AS "phoneMasked", f.department_id AS "departmentId",
  coalesce(dn.name, f.department_id) AS "departmentName", cs.case_number AS "caseNumber",
  f.rating_id AS "ratingId", r.level AS "ratingLevel", f.due_date::text AS "dueDate", f.created_at AS "createdAt",
  f.answer, f.answered_at AS "answeredAt", f.answered_by AS "answeredBy", f.profile_id AS "profileId"`;

const FEEDBACK_FROM = `feedback f JOIN halls h ON h.id = f.hall_id
  LEFT JOIN case_status cs ON cs.case_id = f.case_id::text
  LEFT JOIN ratings r ON r.rating_id = f.rating_id
  LEFT JOIN LATERAL (
    SELECT x.data->>'nameZh' AS name FROM ref_rows x
     WHERE x.kind = 'catalog.department' AND x.id = f.department_id
       AND x.hall_key IN (f.hall_id::text, '*') AND x.data ? 'nameZh'
     ORDER BY x.version DESC LIMIT 1) dn ON true`;

interface FeedbackFilter extends QueueFilter {
  kind?: string | undefined;
  status?: string | undefined;
  ratingOnly?: boolean | undefined;
  q?: string | undefined;
}

function whereOf(f: FeedbackFilter) {
  const sql = queueFilterSql(f, 'f', 'due_date');
  const own: string[] = [];
  if (f.kind) own.push(`f.kind = ${sql.add(f.kind)}`);
  if (f.status) own.push(`f.status = ${sql.add(f.status)}`);
  if (f.ratingOnly !== undefined) own.push(f.ratingOnly ? 'f.rating_id IS NOT NULL' : 'f.rating_id IS NULL');
  if (f.q) own.push(`(f.number LIKE ${sql.add(likePrefix(f.q))} OR position(${sql.add(f.q)} in f.content) > 0)`);
  return { ...sql, where: sql.where(own) };
}

/** Columns a console action may set beside the status; undefined leaves a column as it is. */
export interface FeedbackChange {
  departmentId?: string;
  dueDate?: string;
  answer?: string;
  answeredAt?: string;
  answeredBy?: string | null;
  closedAt?: string | null;
}
const CHANGE_COLUMNS: Record<keyof FeedbackChange, string> = {
  departmentId: 'department_id',
  dueDate: 'due_date',
  answer: 'answer',
  answeredAt: 'answered_at',
  answeredBy: 'answered_by',
  closedAt: 'closed_at',
};

/** Complaints, suggestions, enquiries and 差评 rectifications at central, with their history. SQL only. */
export const feedbackStore = {
  async page(db: Q, f: FeedbackFilter, page: { limit: number; offset: number }) {
    const w = whereOf(f);
    const counts = await db.query<{ total: number; overdue: number; dueSoon: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE ${w.overdue()})::int AS overdue,
              count(*) FILTER (WHERE ${w.dueSoon()})::int AS "dueSoon"
         FROM feedback f WHERE ${w.where}`,
      w.params,
    );
    const l = whereOf(f);
    const rows = await db.query<FeedbackRow>(
      `SELECT ${FEEDBACK_COLUMNS} FROM ${FEEDBACK_FROM} WHERE ${l.where}
        ORDER BY f.status IN ('open', 'assigned') DESC, f.due_date, f.number COLLATE "C"
        LIMIT ${page.limit} OFFSET ${page.offset}`,
      l.params,
    );
    return { rows: rows.rows, ...counts.rows[0]! };
  },

  async byId(db: Q, feedbackId: string, lock = false): Promise<FeedbackRow | undefined> {
    if (lock) await db.query('SELECT 1 FROM feedback WHERE feedback_id = $1 FOR UPDATE', [feedbackId]);
    const { rows } = await db.query<FeedbackRow>(
      `SELECT ${FEEDBACK_COLUMNS} FROM ${FEEDBACK_FROM} WHERE f.feedback_id = $1`,
      [feedbackId],
    );
    return rows[0];
  },

  /** The 差评 behind a rectification, its appeal and the clerk it rates (by the name the visit recorded). */
  async rating(db: Q, ratingId: string) {
    const { rows } = await db.query<{
      level: number;
      reasons: string[];
      comment: string;
      at: Date;
      clerkName: string | null;
      appealStatus: 'filed' | 'upheld' | 'rejected' | null;
      appealReason: string | null;
      decisionReason: string | null;
    }>(
      `SELECT r.level, r.reasons, r.comment, r.at, v.clerk_name AS "clerkName", a.status AS "appealStatus",
              a.reason AS "appealReason", a.decision_reason AS "decisionReason"
         FROM ratings r LEFT JOIN visits v ON v.visit_id = r.visit_id
         LEFT JOIN rating_appeals a ON a.rating_id = r.rating_id
        WHERE r.rating_id = $1`,
      [ratingId],
    );
    return rows[0];
  },

  async returnVisits(db: Q, feedbackId: string) {
    const { rows } = await db.query<{
      method: string;
      outcome: string | null;
      note: string | null;
      doneAt: Date | null;
      byName: string | null;
    }>(
      `SELECT method, outcome, note, done_at AS "doneAt", by_name AS "byName" FROM return_visits
        WHERE feedback_id = $1 AND method IS NOT NULL
        ORDER BY coalesce(done_at, scheduled_for::timestamptz), return_visit_id`,
      [feedbackId],
    );
    return rows;
  },

  async events(db: Q, feedbackId: string) {
    const { rows } = await db.query<{
      id: number;
      at: Date;
      action: string;
      fromStatus: FeedbackStatus | null;
      toStatus: FeedbackStatus;
      actorName: string | null;
      note: string | null;
    }>(
      `SELECT id, at, action, from_status AS "fromStatus", to_status AS "toStatus", actor_name AS "actorName", note
         FROM feedback_events WHERE feedback_id = $1 ORDER BY id`,
      [feedbackId],
    );
    return rows;
  },

  async addEvent(
    tx: Tx,
    e: {
      feedbackId: string;
      action: string;
      fromStatus: string | null;
      toStatus: string;
      at: string;
      actorStaffId: string | null;
      actorName: string | null;
      note: string | null;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO feedback_events (feedback_id, action, from_status, to_status, at, actor_staff_id, actor_name, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [e.feedbackId, e.action, e.fromStatus, e.toStatus, e.at, e.actorStaffId, e.actorName, e.note],
    );
  },

  /**
   * The item's new status (and the columns named) on the version it was decided on: the new version, or
   * undefined when someone else changed it meanwhile. `version` undefined: whatever the version (a hall's
   * change, already ordered by the push).
   */
  async move(
    tx: Tx,
    m: { feedbackId: string; version?: number; status: string; at: string; change?: FeedbackChange },
  ): Promise<number | undefined> {
    const params: unknown[] = [m.feedbackId, m.status, m.at];
    const sets = ['status = $2', 'updated_at = $3', 'version = version + 1'];
    for (const [key, value] of Object.entries(m.change ?? {})) {
      if (value !== undefined) sets.push(`${CHANGE_COLUMNS[key as keyof FeedbackChange]} = $${params.push(value)}`);
    }
    const guard = m.version === undefined ? '' : ` AND version = $${params.push(m.version)}`;
    const { rows } = await tx.query<{ version: number }>(
      `UPDATE feedback SET ${sets.join(', ')} WHERE feedback_id = $1${guard} RETURNING version`,
      params,
    );
    return rows[0]?.version;
  },

  /** A return visit made at the console (the hall's arrive as their own mutations). */
  async addReturnVisit(
    tx: Tx,
    r: {
      returnVisitId: string;
      feedbackId: string;
      scheduledFor: string;
      method: string;
      outcome: string;
      note: string;
      doneAt: string;
      byName: string;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO return_visits (return_visit_id, feedback_id, scheduled_for, method, outcome, note, done_at, by_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [r.returnVisitId, r.feedbackId, r.scheduledFor, r.method, r.outcome, r.note, r.doneAt, r.byName],
    );
  },

  /** The escalation each feedback item's last `feedback.status` row told its hall ('none' when none did). */
  async sentEscalations(db: Q, feedbackIds: readonly string[]): Promise<Map<string, string>> {
    const { rows } = await db.query<{ id: string; escalation: string }>(
      `SELECT id, data->>'escalation' AS escalation FROM ref_rows
        WHERE kind = 'feedback.status' AND id = ANY($1::text[]) AND NOT deleted`,
      [feedbackIds],
    );
    return new Map(rows.map((r) => [r.id, r.escalation]));
  },

  /** Every item whose due date still runs: what the daily escalation pass looks at. */
  async running(db: Q, statuses: readonly string[]): Promise<FeedbackRow[]> {
    const { rows } = await db.query<FeedbackRow>(
      `SELECT ${FEEDBACK_COLUMNS} FROM ${FEEDBACK_FROM} WHERE f.status = ANY($1::text[]) ORDER BY f.feedback_id`,
      [statuses],
    );
    return rows;
  },
};
