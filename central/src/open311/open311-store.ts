import type { Db } from '../db/pool';
import { catalogJoin } from '../store/catalog-join';

/** One catalog row as a hall's devices hold it: the newest of the hall's own and the every-hall row. */
export interface CatalogRow {
  id: string;
  data: unknown;
}

export interface RequestRow {
  caseNumber: string;
  status: string;
  matterCode: string | null;
  matterName: string | null;
  departmentId: string | null;
  departmentName: string | null;
  /** Accepted, or for a case never accepted (一次性告知, 不予受理), filed. */
  requestedAt: Date | null;
  updatedAt: Date;
  promisedDate: string | null;
  decisionOutcome: string | null;
}

export interface RequestFilter {
  /** Null: any. */
  caseNumbers: string[] | null;
  matterCodes: string[] | null;
  /** Only cases in these states. */
  statuses: string[];
  /** [from, before) or [from, through] on the requested time; null: unbounded. */
  from: Date | null;
  before: Date | null;
  through: Date | null;
  limit: number;
  offset: number;
}

const REQUESTED_AT = 'coalesce(c.accepted_at, c.created_at)';

/** The Open311 API's reads: public facts of catalogs and cases only (no applicant column is ever selected). */
export const open311Store = {
  /** Live catalog rows of a kind for a hall, by id. */
  async catalog(db: Db, hallId: string, kind: 'catalog.matter' | 'catalog.department'): Promise<CatalogRow[]> {
    const { rows } = await db.query<CatalogRow & { deleted: boolean }>(
      `SELECT id, data, deleted FROM (
         SELECT DISTINCT ON (id) id, data, deleted FROM ref_rows
          WHERE kind = $1 AND hall_key IN ($2::text, '*')
          ORDER BY id, version DESC) newest
        WHERE NOT deleted ORDER BY id`,
      [kind, hallId],
    );
    return rows.map(({ id, data }) => ({ id, data }));
  },

  /** A hall's cases by the filter, newest request first. */
  async requests(db: Db, hallId: string, f: RequestFilter): Promise<RequestRow[]> {
    const { rows } = await db.query<RequestRow>(
      `SELECT c.case_number AS "caseNumber", c.status, c.matter_code AS "matterCode", m.name AS "matterName",
              c.department_id AS "departmentId", d.name AS "departmentName",
              ${REQUESTED_AT} AS "requestedAt", c.updated_at AS "updatedAt",
              to_char(c.promised_date, 'YYYY-MM-DD') AS "promisedDate",
              c.decision->>'outcome' AS "decisionOutcome"
         FROM case_status c
         ${catalogJoin('catalog.matter', 'c.matter_code', `r.data->>'nameZh' AS name`, 'm')}
         ${catalogJoin('catalog.department', 'c.department_id', `r.data->>'nameZh' AS name`, 'd')}
        WHERE c.hall_id = $1 AND c.case_number IS NOT NULL AND c.status = ANY($4)
          AND ($2::text[] IS NULL OR c.case_number = ANY($2))
          AND ($3::text[] IS NULL OR c.matter_code = ANY($3))
          AND ($5::timestamptz IS NULL OR ${REQUESTED_AT} >= $5)
          AND ($6::timestamptz IS NULL OR ${REQUESTED_AT} < $6)
          AND ($7::timestamptz IS NULL OR ${REQUESTED_AT} <= $7)
        ORDER BY ${REQUESTED_AT} DESC NULLS LAST, c.case_number
        LIMIT $8 OFFSET $9`,
      [hallId, f.caseNumbers, f.matterCodes, f.statuses, f.from, f.before, f.through, f.limit, f.offset],
    );
    return rows;
  },
};
