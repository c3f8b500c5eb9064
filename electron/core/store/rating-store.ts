import type { Database } from 'better-sqlite3';
import type { Rating, RatingAppeal } from '@shared/api';
import { ratingCounts } from '@shared/intake/intake-stats';

interface Row {
  id: string;
  visit_id: string;
  level: number;
  reasons: string;
  comment: string;
  at: string;
  rectification_id: string | null;
  counter_id: string;
  clerk_staff_id: string | null;
  clerk_name: string;
  appeal_id: string | null;
}
interface AppealRow {
  id: string;
  rating_id: string;
  reason: string;
  filed_by: string;
  filed_at: string;
  status: RatingAppeal['status'];
  decided_by: string | null;
  decision_reason: string | null;
  decided_at: string | null;
}
const SELECT = `
  SELECT r.*, f.id AS rectification_id, v.counter_id, v.clerk_staff_id, v.clerk_name, a.id AS appeal_id
  FROM ratings r JOIN visits v ON v.id = r.visit_id
  LEFT JOIN feedback f ON f.rating_id = r.id
  LEFT JOIN rating_appeals a ON a.rating_id = r.id`;

const toAppeal = (a: AppealRow): RatingAppeal => ({
  id: a.id,
  ratingId: a.rating_id,
  reason: a.reason,
  filedBy: a.filed_by,
  filedAt: a.filed_at,
  status: a.status,
  decidedBy: a.decided_by,
  decisionReason: a.decision_reason,
  decidedAt: a.decided_at,
});

export interface RatingHistoryRow {
  level: number;
  at: string;
  counterNumber: number | null;
}

/**
 * All SQL of ratings (好差评): one per visit, with the rectification a bad one opened and the rated
 * clerk's appeal. An upheld appeal keeps the rating here; it only stops counting in the clerk's figures.
 */
export function createRatingStore(db: Database) {
  const s = {
    byId: db.prepare<[string], Row>(`${SELECT} WHERE r.id = ?`),
    byVisit: db.prepare<[string], Row>(`${SELECT} WHERE r.visit_id = ?`),
    list: db.prepare<[number], Row>(`${SELECT} ORDER BY r.at DESC, r.id LIMIT ?`),
    listOfClerk: db.prepare<[string, number], Row>(
      `${SELECT} WHERE v.clerk_staff_id = ? ORDER BY r.at DESC, r.id LIMIT ?`,
    ),
    insert: db.prepare(`
      INSERT INTO ratings (id, visit_id, level, reasons, comment, at)
      VALUES (@id, @visitId, @level, @reasons, @comment, @at)
    `),
    ofApplicant: db.prepare<[string, number], RatingHistoryRow>(`
      SELECT r.level, r.at, v.counter_number AS counterNumber
      FROM ratings r JOIN visits v ON v.id = r.visit_id
      WHERE v.applicant_id = ? ORDER BY r.at DESC LIMIT ?
    `),
    appeal: db.prepare<[string], AppealRow>('SELECT * FROM rating_appeals WHERE id = ?'),
    insertAppeal: db.prepare(`
      INSERT INTO rating_appeals (id, rating_id, reason, filed_by, filed_at) VALUES (?, ?, ?, ?, ?)
    `),
    decideAppeal: db.prepare(`
      UPDATE rating_appeals SET status = ?, decided_by = ?, decision_reason = ?, decided_at = ?
      WHERE id = ? AND status = 'filed'
    `),
  };
  const appealOf = (id: string | null) => {
    const a = id ? s.appeal.get(id) : undefined;
    return a ? toAppeal(a) : null;
  };
  const toRating = (r: Row): Rating => {
    const appeal = appealOf(r.appeal_id);
    return {
      id: r.id,
      visitId: r.visit_id,
      level: r.level,
      reasons: JSON.parse(r.reasons) as Rating['reasons'],
      comment: r.comment,
      at: r.at,
      rectificationId: r.rectification_id,
      counterId: r.counter_id,
      clerkStaffId: r.clerk_staff_id,
      clerkName: r.clerk_name,
      appeal,
      counted: ratingCounts(appeal?.status),
    };
  };
  return {
    byId: (id: string): Rating | undefined => {
      const r = s.byId.get(id);
      return r && toRating(r);
    },
    byVisit: (visitId: string): Rating | undefined => {
      const r = s.byVisit.get(visitId);
      return r && toRating(r);
    },
    list: (limit: number): Rating[] => s.list.all(limit).map(toRating),
    /** The ratings a clerk was rated in: what they may see (and appeal) of them. */
    listOfClerk: (staffId: string, limit: number): Rating[] => s.listOfClerk.all(staffId, limit).map(toRating),
    insert: (r: Pick<Rating, 'id' | 'visitId' | 'level' | 'reasons' | 'comment' | 'at'>) =>
      s.insert.run({ ...r, reasons: JSON.stringify(r.reasons) }),
    ofApplicant: (applicantId: string, limit: number): RatingHistoryRow[] => s.ofApplicant.all(applicantId, limit),
    appeal: (id: string): RatingAppeal | null => appealOf(id),
    insertAppeal: (a: { id: string; ratingId: string; reason: string; filedBy: string; filedAt: string }) =>
      s.insertAppeal.run(a.id, a.ratingId, a.reason, a.filedBy, a.filedAt),
    decideAppeal: (a: { id: string; status: 'upheld' | 'rejected'; by: string; reason: string; at: string }) =>
      s.decideAppeal.run(a.status, a.by, a.reason, a.at, a.id).changes > 0,
  };
}
export type RatingStore = ReturnType<typeof createRatingStore>;
