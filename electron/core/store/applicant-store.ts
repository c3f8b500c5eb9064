import type { Database } from 'better-sqlite3';
import type { Applicant } from '@shared/api';

interface Row {
  id: string;
  kind: Applicant['kind'];
  name: string;
  id_type: Applicant['idType'];
  id_hash: string;
  id_masked: string;
  phone: string;
  segment: Applicant['segment'];
  org_type: Applicant['orgType'];
  contact_name: string | null;
  created_at: string;
  updated_at: string;
}

export interface ApplicantRecord extends Applicant {
  idHash: string;
}

const toApplicant = (r: Row): ApplicantRecord => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  idType: r.id_type,
  idMasked: r.id_masked,
  phone: r.phone,
  segment: r.segment,
  orgType: r.org_type,
  contactName: r.contact_name,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  idHash: r.id_hash,
});

export interface VisitHistoryRow {
  ticketNumber: string;
  hallDay: string;
  counterNumber: number | null;
  at: string;
}

/** All SQL of applicants (申请人): found by the keyed hash of their ID, never by the clear number. */
export function createApplicantStore(db: Database) {
  const s = {
    byHash: db.prepare<[string], Row>('SELECT * FROM applicants WHERE id_hash = ?'),
    byId: db.prepare<[string], Row>('SELECT * FROM applicants WHERE id = ?'),
    insert: db.prepare(`
      INSERT INTO applicants (id, kind, name, id_type, id_hash, id_masked, phone, segment, org_type, contact_name,
                              created_at, updated_at)
      VALUES (@id, @kind, @name, @idType, @idHash, @idMasked, @phone, @segment, @orgType, @contactName,
              @createdAt, @updatedAt)
    `),
    update: db.prepare(`
      UPDATE applicants SET name = @name, phone = @phone, segment = @segment, org_type = @orgType,
                            contact_name = @contactName, updated_at = @updatedAt
      WHERE id = @id
    `),
    visits: db.prepare<[string, number], VisitHistoryRow>(`
      SELECT coalesce(ticket_number, '') AS ticketNumber, hall_day AS hallDay, counter_number AS counterNumber,
             started_at AS at
      FROM visits WHERE applicant_id = ? ORDER BY started_at DESC LIMIT ?
    `),
  };
  return {
    byHash: (hash: string): ApplicantRecord | undefined => {
      const r = s.byHash.get(hash);
      return r && toApplicant(r);
    },
    byId: (id: string): ApplicantRecord | undefined => {
      const r = s.byId.get(id);
      return r && toApplicant(r);
    },
    insert: (a: ApplicantRecord) => s.insert.run(a),
    update: (a: ApplicantRecord) => s.update.run(a),
    visits: (applicantId: string, limit: number): VisitHistoryRow[] => s.visits.all(applicantId, limit),
  };
}
export type ApplicantStore = ReturnType<typeof createApplicantStore>;
