import type { Db, Tx } from '../db/pool';
import type { RefRow } from '@shared/sync/wire';
import { nudgeStore } from './nudge-store';

export interface RefWrite {
  kind: string;
  id: string;
  /** null: every hall. */
  hallId: string | null;
  /** Set for leader content: only devices enrolled for this leader receive the row. */
  leaderId: string | null;
  deleted: boolean;
  data: unknown;
}

export interface PullScope {
  hallId: string;
  leaderId: string | null;
  kinds: readonly string[];
}

/** Reference rows and their version clock: SQL only. Every write must run inside a transaction. */
export const referenceStore = {
  async instanceId(db: Db): Promise<string> {
    const { rows } = await db.query<{ instance_id: string }>('SELECT instance_id FROM central_instance');
    return rows[0]!.instance_id;
  },
  /**
   * Writes one row with the next version. The clock row stays locked until this transaction ends, so
   * a later version can never become visible before an earlier one (see migration 001). The devices
   * that would pull the row are nudged once the transaction commits.
   */
  async put(tx: Tx, w: RefWrite): Promise<number> {
    const { rows } = await tx.query<{ version: number }>(
      'UPDATE ref_clock SET version = version + 1 WHERE id = 1 RETURNING version',
    );
    const version = rows[0]!.version;
    await tx.query(
      `INSERT INTO ref_rows (kind, id, hall_id, leader_id, version, deleted, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (kind, hall_key, id) DO UPDATE SET leader_id = excluded.leader_id,
         version = excluded.version, deleted = excluded.deleted, data = excluded.data`,
      [w.kind, w.id, w.hallId, w.leaderId, version, w.deleted, JSON.stringify(w.data ?? null)],
    );
    await nudgeStore.notify(tx, { kind: 'ref', hallId: w.hallId, leaderId: w.leaderId });
    return version;
  },
  /**
   * One page after `after`, oldest version first, of what this device may see: at most `limit` rows and,
   * past the first row, at most `maxBytes` of stored row data (a leader file is up to 27 MiB of base64,
   * so a page of files is cut early; sizes come from the stored values, without reading them).
   * `more`: rows may follow.
   */
  async page(
    db: Db,
    scope: PullScope,
    after: number,
    limit: number,
    maxBytes: number,
  ): Promise<{ rows: RefRow[]; more: boolean }> {
    const { rows } = await db.query<RefRow & { candidates: number }>(
      `WITH candidates AS (
         SELECT version, pg_column_size(data) AS size FROM ref_rows
         WHERE version > $1 AND kind = ANY($2::text[])
           AND (hall_id IS NULL OR hall_id = $3)
           AND (leader_id IS NULL OR leader_id = $4)
         ORDER BY version LIMIT $5),
       sized AS (
         SELECT version, sum(size) OVER (ORDER BY version) - size AS before,
           row_number() OVER (ORDER BY version) AS n, count(*) OVER () AS candidates
         FROM candidates)
       SELECT r.kind, r.id, r.version, r.deleted, r.data, s.candidates
       FROM sized s JOIN ref_rows r ON r.version = s.version
       WHERE s.n = 1 OR s.before + pg_column_size(r.data) <= $6
       ORDER BY r.version`,
      [after, scope.kinds, scope.hallId, scope.leaderId ?? '', limit, maxBytes],
    );
    const candidates = rows[0]?.candidates ?? 0;
    return {
      rows: rows.map(({ candidates: _c, ...row }) => row),
      more: rows.length < candidates || candidates === limit,
    };
  },
  /**
   * Whether a live row of this kind and id is seen by the hall (its own or every hall's; null: by every
   * hall). The row is share-locked to the transaction's end, so it cannot be deleted meanwhile.
   */
  async liveFor(tx: Tx, kind: string, id: string, hallId: string | null): Promise<boolean> {
    const { rows } = await tx.query(
      `SELECT 1 FROM ref_rows WHERE kind = $1 AND id = $2 AND NOT deleted
         AND (hall_id IS NULL OR hall_id = $3) FOR SHARE`,
      [kind, id, hallId],
    );
    return rows.length > 0;
  },
  async versionOf(db: Db | Tx, kind: string, id: string, hallId: string | null): Promise<number | null> {
    const { rows } = await db.query<{ version: number }>(
      `SELECT version FROM ref_rows WHERE kind = $1 AND id = $2 AND hall_key = coalesce($3::text, '*')`,
      [kind, id, hallId],
    );
    return rows[0]?.version ?? null;
  },
  async clock(db: Db): Promise<number> {
    return (await db.query<{ version: number }>('SELECT version FROM ref_clock')).rows[0]!.version;
  },
};
