import type { Database } from 'better-sqlite3';
import type { Feedback, ReturnVisit } from '@shared/api';
import type { FeedbackStatus } from '@shared/intake/feedback-states';

interface FeedbackRow {
  id: string;
  number: string;
  kind: Feedback['kind'];
  channel: Feedback['channel'];
  category: Feedback['category'];
  status: FeedbackStatus;
  content: string;
  applicant_id: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  case_id: string | null;
  department_id: string | null;
  rating_id: string | null;
  assignee: string | null;
  resolution: string | null;
  due_date: string;
  created_at: string;
  updated_at: string;
}

/** Stored feedback; `overdue` and the return visits' `overdue` are judged by the service against today. */
export type FeedbackRecord = Omit<Feedback, 'overdue' | 'returnVisits' | 'ratedClerk' | 'rating'>;
export type ReturnVisitRecord = Omit<ReturnVisit, 'overdue'>;

export interface FeedbackEventRecord {
  feedbackId: string;
  action: string;
  fromStatus: FeedbackStatus | null;
  toStatus: FeedbackStatus;
  at: string;
  actor: string;
  note: string | null;
}

/** How close central says the department is to the item's deadline (feedback.status rows). */
export type CentralEscalation = 'none' | 'due_soon' | 'overdue';

/** Central's side of an item as last applied: `centralAt` is the instant of that status row. */
export interface CentralFeedbackState {
  escalation: CentralEscalation;
  centralAt: string | null;
}

export interface FeedbackFilter {
  kind?: Feedback['kind'];
  status?: FeedbackStatus;
  applicantId?: string;
  /** Only items open or assigned past their due date, or not closed with a return visit not done by then. */
  overdueBefore?: string;
  /** Leave out the rectifications of bad ratings (差评 go to supervisors, never to the clerks). */
  withoutRatings?: boolean;
  limit: number;
}

const toFeedback = (r: FeedbackRow): FeedbackRecord => ({
  id: r.id,
  number: r.number,
  kind: r.kind,
  channel: r.channel,
  category: r.category,
  status: r.status,
  content: r.content,
  applicantId: r.applicant_id,
  contactName: r.contact_name,
  contactPhone: r.contact_phone,
  caseId: r.case_id,
  departmentId: r.department_id,
  ratingId: r.rating_id,
  assignee: r.assignee,
  resolution: r.resolution,
  dueDate: r.due_date,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const RETURN_VISIT_SELECT = `
  SELECT id, feedback_id AS feedbackId, scheduled_for AS scheduledFor, method, outcome, note, done_at AS doneAt
  FROM return_visits`;

/** All SQL of complaints, suggestions and enquiries (投诉/建议/咨询) and their return visits (回访). */
export function createFeedbackStore(db: Database) {
  const s = {
    byId: db.prepare<[string], FeedbackRow>('SELECT * FROM feedback WHERE id = ?'),
    byRating: db.prepare<[string], FeedbackRow>('SELECT * FROM feedback WHERE rating_id = ?'),
    insert: db.prepare(`
      INSERT INTO feedback (id, number, kind, channel, category, status, content, applicant_id, contact_name,
                            contact_phone, case_id, department_id, rating_id, assignee, resolution, due_date,
                            created_at, updated_at)
      VALUES (@id, @number, @kind, @channel, @category, @status, @content, @applicantId, @contactName,
              @contactPhone, @caseId, @departmentId, @ratingId, @assignee, @resolution, @dueDate,
              @createdAt, @updatedAt)
    `),
    update: db.prepare(`
      UPDATE feedback SET status = @status, assignee = @assignee, resolution = @resolution, updated_at = @updatedAt
      WHERE id = @id
    `),
    central: db.prepare<[string], { escalation: CentralEscalation; centralAt: string | null }>(
      'SELECT escalation, central_at AS centralAt FROM feedback WHERE id = ?',
    ),
    applyCentral: db.prepare(`
      UPDATE feedback SET status = @status, department_id = @departmentId, due_date = @dueDate, assignee = @assignee,
        resolution = @resolution, escalation = @escalation, central_at = @centralAt, updated_at = @updatedAt
      WHERE id = @id
    `),
    insertEvent: db.prepare(`
      INSERT INTO feedback_events (feedback_id, action, from_status, to_status, at, actor, note)
      VALUES (@feedbackId, @action, @fromStatus, @toStatus, @at, @actor, @note)
    `),
    events: db.prepare<[string], FeedbackEventRecord>(`
      SELECT feedback_id AS feedbackId, action, from_status AS fromStatus, to_status AS toStatus, at, actor, note
      FROM feedback_events WHERE feedback_id = ? ORDER BY id
    `),
    returnVisits: db.prepare<[string], ReturnVisitRecord>(
      `${RETURN_VISIT_SELECT} WHERE feedback_id = ? ORDER BY scheduled_for, id`,
    ),
    returnVisit: db.prepare<[string], ReturnVisitRecord>(`${RETURN_VISIT_SELECT} WHERE id = ?`),
    insertReturnVisit: db.prepare(`
      INSERT INTO return_visits (id, feedback_id, scheduled_for, method, created_at)
      VALUES (@id, @feedbackId, @scheduledFor, @method, @createdAt)
    `),
    recordReturnVisit: db.prepare(
      'UPDATE return_visits SET outcome = @outcome, note = @note, done_at = @doneAt WHERE id = @id',
    ),
  };

  function list(f: FeedbackFilter): FeedbackRow[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: f.limit };
    if (f.kind) {
      where.push('kind = @kind');
      params.kind = f.kind;
    }
    if (f.status) {
      where.push('status = @status');
      params.status = f.status;
    }
    if (f.withoutRatings) where.push("channel <> 'rating'");
    if (f.applicantId) {
      where.push('applicant_id = @applicantId');
      params.applicantId = f.applicantId;
    }
    if (f.overdueBefore) {
      where.push(`(
        (status IN ('open', 'assigned') AND due_date < @overdueBefore)
        OR (status <> 'closed' AND EXISTS (
          SELECT 1 FROM return_visits r
          WHERE r.feedback_id = feedback.id AND r.done_at IS NULL AND r.scheduled_for < @overdueBefore)))`);
      params.overdueBefore = f.overdueBefore;
    }
    const sql = `SELECT * FROM feedback ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                 ORDER BY created_at DESC, number DESC LIMIT @limit`;
    return db.prepare<[Record<string, unknown>], FeedbackRow>(sql).all(params);
  }

  return {
    byId: (id: string): FeedbackRecord | undefined => {
      const r = s.byId.get(id);
      return r && toFeedback(r);
    },
    byRating: (ratingId: string): FeedbackRecord | undefined => {
      const r = s.byRating.get(ratingId);
      return r && toFeedback(r);
    },
    list: (f: FeedbackFilter): FeedbackRecord[] => list(f).map(toFeedback),
    insert: (f: FeedbackRecord) => s.insert.run(f),
    update: (f: FeedbackRecord) => s.update.run(f),
    central: (id: string): CentralFeedbackState | undefined => s.central.get(id),
    /** Central's status of an item: the record as central has it, with its escalation and the row's instant. */
    applyCentral: (f: FeedbackRecord & CentralFeedbackState) => s.applyCentral.run(f),
    insertEvent: (e: FeedbackEventRecord) => s.insertEvent.run(e),
    events: (feedbackId: string): FeedbackEventRecord[] => s.events.all(feedbackId),
    returnVisits: (feedbackId: string): ReturnVisitRecord[] => s.returnVisits.all(feedbackId),
    returnVisit: (id: string): ReturnVisitRecord | undefined => s.returnVisit.get(id),
    insertReturnVisit: (r: {
      id: string;
      feedbackId: string;
      scheduledFor: string;
      method: string;
      createdAt: string;
    }) => s.insertReturnVisit.run(r),
    recordReturnVisit: (r: { id: string; outcome: string; note: string; doneAt: string }) => s.recordReturnVisit.run(r),
  };
}
export type FeedbackStore = ReturnType<typeof createFeedbackStore>;
