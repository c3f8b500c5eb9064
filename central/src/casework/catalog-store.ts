import type { Matter } from '@shared/api';
import type { Db, Tx } from '../db/pool';
import type { HolidayRow } from './hall-calendar';

type Q = Db | Tx;

/**
 * What casework reads of the reference rows central sends the halls: the calendar's dates, the matter
 * catalog and the departments. A hall sees its own rows and every hall's (hall_id null). SQL only.
 */
export const catalogStore = {
  /** Every holiday row (tombstones too), oldest version first: the order the devices applied them in. */
  async holidays(db: Q): Promise<HolidayRow[]> {
    const { rows } = await db.query<HolidayRow>(
      `SELECT id AS date, hall_id AS "hallId", deleted, (data->>'workday')::boolean AS workday
         FROM ref_rows WHERE kind = 'holiday' ORDER BY version`,
    );
    return rows;
  },
  /**
   * The matter as the hall's devices hold it now: the newest row of the hall's own or every hall's (a
   * tombstone included: then there is none), the order a device applies them in.
   */
  async matter(db: Q, code: string, hallId: string): Promise<Matter | undefined> {
    const { rows } = await db.query<{ data: Matter; deleted: boolean }>(
      `SELECT data, deleted FROM ref_rows WHERE kind = 'catalog.matter' AND id = $1
          AND hall_key IN ($2::uuid::text, '*')
        ORDER BY version DESC LIMIT 1`,
      [code, hallId],
    );
    return rows[0] && !rows[0].deleted ? rows[0].data : undefined;
  },
  /** The live departments of these halls (null: of every hall), each id once, with its newest name. */
  async departments(db: Q, hallIds: readonly string[] | null): Promise<{ id: string; nameZh: string }[]> {
    const { rows } = await db.query<{ id: string; nameZh: string }>(
      `SELECT DISTINCT ON (id) id, data->>'nameZh' AS "nameZh" FROM ref_rows
        WHERE kind = 'catalog.department' AND NOT deleted
          AND ($1::uuid[] IS NULL OR hall_id IS NULL OR hall_id = ANY($1::uuid[]))
        ORDER BY id, version DESC`,
      [hallIds],
    );
    return rows.sort((a, b) => a.id.localeCompare(b.id));
  },
  /** Whether the department is live for the hall (its own row or every hall's). */
  async departmentOfHall(db: Q, departmentId: string, hallId: string): Promise<boolean> {
    const { rows } = await db.query(
      `SELECT 1 FROM ref_rows WHERE kind = 'catalog.department' AND id = $1 AND NOT deleted
          AND (hall_id IS NULL OR hall_id = $2)`,
      [departmentId, hallId],
    );
    return rows.length > 0;
  },
};
