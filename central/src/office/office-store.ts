import type { Db, Tx } from '../db/pool';

type Q = Db | Tx;

export type OfficeKind = 'leader.schedule' | 'leader.briefing' | 'leader.file';

/** One item the office sent a leader, with the names of who created and last changed it. */
export interface OfficeItemRow {
  id: string;
  kind: OfficeKind;
  staffId: string;
  leaderId: string;
  hallIds: string[];
  /** The content as sent, without a file's bytes. */
  content: Record<string, unknown>;
  fileSize: number | null;
  version: number;
  cancelled: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

interface Row extends Omit<OfficeItemRow, 'createdAt' | 'updatedAt'> {
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `i.id, i.kind, i.staff_id AS "staffId", i.leader_id AS "leaderId", i.hall_ids::text[] AS "hallIds",
  i.content, i.file_size AS "fileSize", i.version, i.cancelled, i.created_at AS "createdAt",
  c.name AS "createdBy", i.updated_at AS "updatedAt", u.name AS "updatedBy"`;
const FROM = `office_items i JOIN staff c ON c.id = i.created_by JOIN staff u ON u.id = i.updated_by`;

const toItem = (r: Row): OfficeItemRow => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/** The item's content and, for a schedule, its time (the calendar's range is searched by it). */
export interface OfficeContent {
  content: Record<string, unknown>;
  startsAt: string | null;
  endsAt: string | null;
}

/** The leader's office's record of leader content, and the leader devices it reaches: SQL only. */
export const officeStore = {
  /** How many live leader devices are enrolled for each of these leader ids. */
  async deviceCounts(db: Q, leaderIds: string[]): Promise<Map<string, number>> {
    const { rows } = await db.query<{ leaderId: string; n: number }>(
      `SELECT leader_id AS "leaderId", count(*)::int AS n FROM devices
       WHERE role = 'leader' AND revoked_at IS NULL AND leader_id = ANY($1::text[]) GROUP BY leader_id`,
      [leaderIds],
    );
    return new Map(rows.map((r) => [r.leaderId, r.n]));
  },

  /** The leader's schedule items (cancelled ones too) whose time overlaps [from, to), by start. */
  async schedulesBetween(db: Q, staffId: string, from: string, to: string): Promise<OfficeItemRow[]> {
    const { rows } = await db.query<Row>(
      `SELECT ${COLUMNS} FROM ${FROM}
       WHERE i.staff_id = $1 AND i.kind = 'leader.schedule' AND i.starts_at < $3 AND i.ends_at > $2
       ORDER BY i.starts_at, i.id`,
      [staffId, from, to],
    );
    return rows.map(toItem);
  },

  /** The leader's briefings or files, newest first. */
  async items(db: Q, staffId: string, kind: 'leader.briefing' | 'leader.file'): Promise<OfficeItemRow[]> {
    const { rows } = await db.query<Row>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE i.staff_id = $1 AND i.kind = $2 ORDER BY i.created_at DESC, i.id`,
      [staffId, kind],
    );
    return rows.map(toItem);
  },

  /** One item of the leader, locked to the transaction's end (a change checks its version against it). */
  async forUpdate(tx: Tx, staffId: string, kind: OfficeKind, id: string): Promise<OfficeItemRow | undefined> {
    const { rows } = await tx.query<Row>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE i.id = $1 AND i.staff_id = $2 AND i.kind = $3 FOR UPDATE OF i`,
      [id, staffId, kind],
    );
    return rows[0] && toItem(rows[0]);
  },

  async byId(db: Q, id: string): Promise<OfficeItemRow | undefined> {
    const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM ${FROM} WHERE i.id = $1`, [id]);
    return rows[0] && toItem(rows[0]);
  },

  async insert(
    tx: Tx,
    r: OfficeContent & {
      id: string;
      kind: OfficeKind;
      staffId: string;
      leaderId: string;
      hallIds: string[];
      fileSize: number | null;
      by: string;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO office_items (id, kind, staff_id, leader_id, hall_ids, content, starts_at, ends_at, file_size,
         created_by, updated_by)
       VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, $8, $9, $10, $10)`,
      [
        r.id,
        r.kind,
        r.staffId,
        r.leaderId,
        r.hallIds,
        JSON.stringify(r.content),
        r.startsAt,
        r.endsAt,
        r.fileSize,
        r.by,
      ],
    );
  },

  /** A change of the content, or a cancellation (`content` null keeps it): the next version. */
  async change(
    tx: Tx,
    r: { id: string; hallIds: string[]; next: OfficeContent | null; cancelled: boolean; by: string },
  ): Promise<void> {
    await tx.query(
      `UPDATE office_items SET hall_ids = $2::uuid[], content = coalesce($3::jsonb, content),
         starts_at = CASE WHEN $3::jsonb IS NULL THEN starts_at ELSE $4 END,
         ends_at = CASE WHEN $3::jsonb IS NULL THEN ends_at ELSE $5 END,
         cancelled = $6, version = version + 1, updated_by = $7, updated_at = now()
       WHERE id = $1`,
      [
        r.id,
        r.hallIds,
        r.next ? JSON.stringify(r.next.content) : null,
        r.next?.startsAt ?? null,
        r.next?.endsAt ?? null,
        r.cancelled,
        r.by,
      ],
    );
  },
};
