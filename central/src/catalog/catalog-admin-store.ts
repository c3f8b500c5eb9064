import type { Department, Matter } from '@shared/api';
import type { Db, Tx } from '../db/pool';
import type { RowFilter } from './catalog-access';

type Q = Db | Tx;

/** The SQL of a RowFilter on ref_rows, with its two parameters at `$g` and `$h`. */
const inScope = (g: number, h: number) =>
  `(($${g}::boolean AND hall_id IS NULL) OR (hall_id IS NOT NULL AND ($${h}::uuid[] IS NULL OR hall_id = ANY($${h}::uuid[]))))`;

/** An escaped LIKE pattern: the person's % and _ are letters. */
const likeOf = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface RefRowState {
  version: number;
  deleted: boolean;
}

export interface HolidayRefRow {
  date: string;
  hallId: string | null;
  deleted: boolean;
  name: string | null;
  workday: boolean | null;
}

/** What the console's catalog and calendar screens read of the reference rows central sends. SQL only. */
export const catalogAdminStore = {
  /** The live departments of the filter, with the live matters naming each that the same devices receive. */
  async departments(db: Q, f: RowFilter) {
    const { rows } = await db.query<{ hallId: string | null; version: number; data: Department; matterCount: number }>(
      `SELECT d.hall_id AS "hallId", d.version::int AS version, d.data,
              (SELECT count(*)::int FROM ref_rows m
                WHERE m.kind = 'catalog.matter' AND NOT m.deleted AND m.data->>'departmentId' = d.id
                  AND (d.hall_id IS NULL OR m.hall_id = d.hall_id)) AS "matterCount"
         FROM ref_rows d
        WHERE d.kind = 'catalog.department' AND NOT d.deleted AND ${inScope(1, 2)}
        ORDER BY d.id, d.hall_id NULLS FIRST`,
      [f.global, f.hallIds],
    );
    return rows;
  },

  /** One page of the filter's matters (live, or withdrawn), by code, with the total. */
  async matters(
    db: Q,
    f: RowFilter,
    o: { departmentId?: string; q?: string; withdrawn: boolean; limit: number; offset: number },
  ) {
    const { rows } = await db.query<{
      hallId: string | null;
      code: string;
      version: number;
      data: Matter | null;
      total: number;
    }>(
      `SELECT hall_id AS "hallId", id AS code, version::int AS version,
              CASE WHEN deleted THEN NULL ELSE data END AS data, count(*) OVER ()::int AS total
         FROM ref_rows
        WHERE kind = 'catalog.matter' AND deleted = $3 AND ${inScope(1, 2)}
          AND ($4::text IS NULL OR data->>'departmentId' = $4)
          AND ($5::text IS NULL OR id ILIKE $5 OR data->>'nameZh' ILIKE $5 OR data->>'nameEn' ILIKE $5
               OR (data->'keywords')::text ILIKE $5)
        ORDER BY id, hall_id NULLS FIRST
        LIMIT $6 OFFSET $7`,
      [f.global, f.hallIds, o.withdrawn, o.departmentId ?? null, o.q ? likeOf(o.q) : null, o.limit, o.offset],
    );
    return { rows, total: rows[0]?.total ?? 0 };
  },

  /** One row of a kind in one scope (a tombstone included), as it is now. */
  async row(db: Q, kind: string, id: string, hallId: string | null) {
    const { rows } = await db.query<{ version: number; deleted: boolean; data: unknown }>(
      `SELECT version::int AS version, deleted, data FROM ref_rows
        WHERE kind = $1 AND id = $2 AND hall_key = coalesce($3::text, '*')`,
      [kind, id, hallId],
    );
    return rows[0];
  },

  /** Locks the row (when there is one) until the transaction ends: an edit decides on the version it read. */
  async lock(tx: Tx, kind: string, id: string, hallId: string | null): Promise<RefRowState | undefined> {
    const { rows } = await tx.query<RefRowState>(
      `SELECT version::int AS version, deleted FROM ref_rows
        WHERE kind = $1 AND id = $2 AND hall_key = coalesce($3::text, '*') FOR UPDATE`,
      [kind, id, hallId],
    );
    return rows[0];
  },

  /** Live matters naming the department that its devices receive (any hall's for every hall's department). */
  async mattersOfDepartment(tx: Tx, departmentId: string, hallId: string | null): Promise<number> {
    const { rows } = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ref_rows
        WHERE kind = 'catalog.matter' AND NOT deleted AND data->>'departmentId' = $1
          AND ($2::uuid IS NULL OR hall_id = $2::uuid)`,
      [departmentId, hallId],
    );
    return rows[0]!.n;
  },

  /**
   * The holiday rows of a year the devices of a scope apply (every hall's, and the hall's own when one is
   * named), oldest version first: the order the devices applied them in.
   */
  async holidaysOfYear(db: Q, year: number, hallId: string | null): Promise<HolidayRefRow[]> {
    const { rows } = await db.query<HolidayRefRow>(
      `SELECT id AS date, hall_id AS "hallId", deleted, data->>'name' AS name, (data->>'workday')::boolean AS workday
         FROM ref_rows
        WHERE kind = 'holiday' AND id LIKE $1 AND (hall_id IS NULL OR hall_id = $2::uuid)
        ORDER BY version`,
      [`${year}-%`, hallId],
    );
    return rows;
  },
};
