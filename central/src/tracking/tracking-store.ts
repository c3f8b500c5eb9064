import type { Db } from '../db/pool';
import { catalogJoin } from '../store/catalog-join';

/** A case the number names, with only what checks its query code. */
export interface TrackingCandidate {
  caseId: string;
  queryCodeSha256: string;
}

/** What the tracking page shows of one case, as stored; read only once the query code matched. */
export interface TrackingCaseRow {
  caseNumber: string;
  status: string;
  acceptedAt: Date | null;
  promisedDate: string | null;
  missing: unknown;
  decision: unknown;
  pickup: unknown;
  hallName: string;
  hallTimeZone: string;
  matterCode: string | null;
  matterName: string | null;
  departmentId: string | null;
  departmentName: string | null;
  departmentPhone: string | null;
  applicantKind: string | null;
  applicantName: string | null;
}

export interface TrackingEventRow {
  toStatus: string;
  at: Date;
}

/** The public tracking page's reads: SQL only. */
export const trackingStore = {
  /** Cases with this number that have a query code (numbers are unique per hall; a few at most). */
  async candidates(db: Db, caseNumber: string): Promise<TrackingCandidate[]> {
    const { rows } = await db.query<TrackingCandidate>(
      `SELECT case_id AS "caseId", query_code_sha256 AS "queryCodeSha256" FROM case_status
        WHERE case_number = $1 AND query_code_sha256 IS NOT NULL AND status <> 'draft'
        ORDER BY case_id LIMIT 10`,
      [caseNumber],
    );
    return rows;
  },

  async caseRow(db: Db, caseId: string): Promise<TrackingCaseRow | undefined> {
    const { rows } = await db.query<TrackingCaseRow>(
      `SELECT c.case_number AS "caseNumber", c.status, c.accepted_at AS "acceptedAt",
              to_char(c.promised_date, 'YYYY-MM-DD') AS "promisedDate",
              c.missing, c.decision, c.pickup, h.name AS "hallName", h.time_zone AS "hallTimeZone",
              c.matter_code AS "matterCode", m.name AS "matterName",
              c.department_id AS "departmentId", d.name AS "departmentName", d.phone AS "departmentPhone",
              p.kind AS "applicantKind", p.name AS "applicantName"
         FROM case_status c
         JOIN halls h ON h.id = c.hall_id
         LEFT JOIN applicant_profiles p ON p.id = c.profile_id
         ${catalogJoin('catalog.matter', 'c.matter_code', `r.data->>'nameZh' AS name`, 'm')}
         ${catalogJoin('catalog.department', 'c.department_id', `r.data->>'nameZh' AS name, r.data->>'phone' AS phone`, 'd')}
        WHERE c.case_id = $1`,
      [caseId],
    );
    return rows[0];
  },

  /** The case's steps, oldest first. */
  async events(db: Db, caseId: string): Promise<TrackingEventRow[]> {
    const { rows } = await db.query<TrackingEventRow>(
      'SELECT to_status AS "toStatus", at FROM case_events WHERE case_id = $1 ORDER BY at, id',
      [caseId],
    );
    return rows;
  },
};
