import type { Database } from 'better-sqlite3';
import type { Rating } from '@shared/api';

interface Row {
  id: string;
  visit_id: string;
  level: number;
  reasons: string;
  comment: string;
  at: string;
  rectification_id: string | null;
}
const SELECT = `
  SELECT r.*, f.id AS rectification_id FROM ratings r LEFT JOIN feedback f ON f.rating_id = r.id`;

const toRating = (r: Row): Rating => ({
  id: r.id,
  visitId: r.visit_id,
  level: r.level,
  reasons: JSON.parse(r.reasons) as Rating['reasons'],
  comment: r.comment,
  at: r.at,
  rectificationId: r.rectification_id,
});

export interface RatingHistoryRow {
  level: number;
  at: string;
  counterNumber: number | null;
}

/** All SQL of ratings (好差评): one per visit, with the rectification a bad one opened. */
export function createRatingStore(db: Database) {
  const s = {
    byId: db.prepare<[string], Row>(`${SELECT} WHERE r.id = ?`),
    byVisit: db.prepare<[string], Row>(`${SELECT} WHERE r.visit_id = ?`),
    list: db.prepare<[number], Row>(`${SELECT} ORDER BY r.at DESC, r.id LIMIT ?`),
    insert: db.prepare(`
      INSERT INTO ratings (id, visit_id, level, reasons, comment, at)
      VALUES (@id, @visitId, @level, @reasons, @comment, @at)
    `),
    ofApplicant: db.prepare<[string, number], RatingHistoryRow>(`
      SELECT r.level, r.at, v.counter_number AS counterNumber
      FROM ratings r JOIN visits v ON v.id = r.visit_id
      WHERE v.applicant_id = ? ORDER BY r.at DESC LIMIT ?
    `),
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
    insert: (r: Omit<Rating, 'rectificationId'>) => s.insert.run({ ...r, reasons: JSON.stringify(r.reasons) }),
    ofApplicant: (applicantId: string, limit: number): RatingHistoryRow[] => s.ofApplicant.all(applicantId, limit),
  };
}
export type RatingStore = ReturnType<typeof createRatingStore>;
