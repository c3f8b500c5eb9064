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
}

const SELECT = `
  SELECT id, counter_id AS counterId, counter_number AS counterNumber, clerk_name AS clerkName,
         ticket_id AS ticketId, ticket_number AS ticketNumber, hall_day AS hallDay, applicant_id AS applicantId,
         started_at AS startedAt, rating_status AS ratingStatus, rating_requested_at AS ratingRequestedAt
  FROM visits`;

/** All SQL of visits: one service at a counter, the unit a rating rates. */
export function createVisitStore(db: Database) {
  const s = {
    byId: db.prepare<[string], VisitRecord>(`${SELECT} WHERE id = ?`),
    byTicket: db.prepare<[string], VisitRecord>(`${SELECT} WHERE ticket_id = ?`),
    pendingAt: db.prepare<[string], VisitRecord>(`${SELECT} WHERE counter_id = ? AND rating_status = 'pending'`),
    insert: db.prepare(`
      INSERT INTO visits (id, counter_id, counter_number, clerk_name, ticket_id, ticket_number, hall_day, applicant_id,
                          started_at, rating_status, rating_requested_at)
      VALUES (@id, @counterId, @counterNumber, @clerkName, @ticketId, @ticketNumber, @hallDay, @applicantId,
              @startedAt, @ratingStatus, @ratingRequestedAt)
    `),
    setApplicant: db.prepare('UPDATE visits SET applicant_id = ? WHERE id = ? AND applicant_id IS NULL'),
    setRating: db.prepare('UPDATE visits SET rating_status = ?, rating_requested_at = ? WHERE id = ?'),
    markRated: db.prepare(`UPDATE visits SET rating_status = 'rated' WHERE id = ?`),
    withdrawPending: db.prepare(
      `UPDATE visits SET rating_status = 'none' WHERE counter_id = ? AND rating_status = 'pending' AND id <> ?`,
    ),
  };
  return {
    byId: (id: string) => s.byId.get(id),
    byTicket: (ticketId: string) => s.byTicket.get(ticketId),
    pendingAt: (counterId: string) => s.pendingAt.get(counterId),
    insert: (v: VisitRecord) => s.insert.run(v),
    /** The first applicant served in a visit is the one it belongs to. */
    setApplicant: (visitId: string, applicantId: string) => s.setApplicant.run(applicantId, visitId),
    /** Makes `visitId` this counter's one pending rating prompt, withdrawing an earlier unrated one. */
    requestRating(visitId: string, counterId: string, at: string): void {
      s.withdrawPending.run(counterId, visitId);
      s.setRating.run('pending', at, visitId);
    },
    markRated: (visitId: string) => s.markRated.run(visitId),
  };
}
export type VisitStore = ReturnType<typeof createVisitStore>;
