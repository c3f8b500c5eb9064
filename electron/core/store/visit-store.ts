import type { Database } from 'better-sqlite3';

export interface VisitRecord {
  id: string;
  counterId: string;
  counterNumber: number | null;
  clerkName: string;
  ticketId: string | null;
  ticketNumber: string | null;
  hallDay: string;
  applicantId: string | null;
  startedAt: string;
  ratingStatus: 'none' | 'pending' | 'rated';
  ratingRequestedAt: string | null;
  /** The person who served (and is rated for) this visit; null for a visit from before accounts. */
  clerkStaffId: string | null;
  /** Set when a requested rating's token expired unused: the visit is "not rated". */
  notRatedAt?: string | null;
}

const SELECT = `
  SELECT id, counter_id AS counterId, counter_number AS counterNumber, clerk_name AS clerkName,
         ticket_id AS ticketId, ticket_number AS ticketNumber, hall_day AS hallDay, applicant_id AS applicantId,
         started_at AS startedAt, rating_status AS ratingStatus, rating_requested_at AS ratingRequestedAt,
         clerk_staff_id AS clerkStaffId, not_rated_at AS notRatedAt
  FROM visits`;

/** All SQL of visits: one service at a counter, the unit a rating rates. */
export function createVisitStore(db: Database) {
  const s = {
    byId: db.prepare<[string], VisitRecord>(`${SELECT} WHERE id = ?`),
    byTicket: db.prepare<[string], VisitRecord>(`${SELECT} WHERE ticket_id = ?`),
    pendingAt: db.prepare<[string], VisitRecord>(`${SELECT} WHERE counter_id = ? AND rating_status = 'pending'`),
    insert: db.prepare(`
      INSERT INTO visits (id, counter_id, counter_number, clerk_name, ticket_id, ticket_number, hall_day, applicant_id,
                          started_at, rating_status, rating_requested_at, clerk_staff_id)
      VALUES (@id, @counterId, @counterNumber, @clerkName, @ticketId, @ticketNumber, @hallDay, @applicantId,
              @startedAt, @ratingStatus, @ratingRequestedAt, @clerkStaffId)
    `),
    setApplicant: db.prepare('UPDATE visits SET applicant_id = ? WHERE id = ? AND applicant_id IS NULL'),
    setRating: db.prepare(
      'UPDATE visits SET rating_status = ?, rating_requested_at = ?, not_rated_at = NULL WHERE id = ?',
    ),
    markNotRated: db.prepare(
      `UPDATE visits SET rating_status = 'none', not_rated_at = ? WHERE id = ? AND rating_status = 'pending'`,
    ),
    markRated: db.prepare(`UPDATE visits SET rating_status = 'rated' WHERE id = ?`),
    withdrawPending: db.prepare(
      `UPDATE visits SET rating_status = 'none' WHERE counter_id = ? AND rating_status = 'pending' AND id <> ?`,
    ),
  };
  return {
    byId: (id: string) => s.byId.get(id),
    byTicket: (ticketId: string) => s.byTicket.get(ticketId),
    pendingAt: (counterId: string) => s.pendingAt.get(counterId),
    insert: ({ notRatedAt: _n, ...v }: VisitRecord) => s.insert.run(v),
    /** The first applicant served in a visit is the one it belongs to. */
    setApplicant: (visitId: string, applicantId: string) => s.setApplicant.run(applicantId, visitId),
    /** Makes `visitId` this counter's one pending rating prompt, withdrawing an earlier unrated one. */
    requestRating(visitId: string, counterId: string, at: string): void {
      s.withdrawPending.run(counterId, visitId);
      s.setRating.run('pending', at, visitId);
    },
    markRated: (visitId: string) => s.markRated.run(visitId),
    /** The pending prompt ran out: true when this call made the visit "not rated". */
    markNotRated: (visitId: string, at: string): boolean => s.markNotRated.run(at, visitId).changes > 0,
  };
}
export type VisitStore = ReturnType<typeof createVisitStore>;
