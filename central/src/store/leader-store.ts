import type { AuditEntry } from '@shared/leader/audit-chain';
import type { LeaderActionArgs, LeaderAuditArgs } from '@shared/sync/mutations/leader';
import type { Db, Tx } from '../db/pool';

export interface CentralLeaderAction extends Omit<LeaderActionArgs, 'id'> {
  id: string;
  hallId: string;
  deviceId: string;
  receivedAt: string;
}

interface AuditRow {
  seq: number;
  at: string;
  leader_id: string | null;
  origin: string;
  event: string;
  target_id: string | null;
  detail: AuditEntry['detail'];
  prev_hash: string;
  hash: string;
  content_hash: string | null;
}

/** Leader actions and the leader devices' audit rows at central: SQL only. */
export const leaderStore = {
  /** False when the id is already stored (a mutation id is unique, so that is the same action). */
  async insertAction(tx: Tx, a: LeaderActionArgs & { hallId: string; deviceId: string }): Promise<boolean> {
    const { rowCount } = await tx.query(
      `INSERT INTO leader_actions (id, leader_id, hall_id, device_id, target_id, action, comment, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
      [a.id, a.leaderId, a.hallId, a.deviceId, a.targetId, a.action, a.comment, a.at],
    );
    return rowCount === 1;
  },
  async actionsOf(db: Db, leaderId: string): Promise<CentralLeaderAction[]> {
    const { rows } = await db.query<CentralLeaderAction>(
      `SELECT id, leader_id AS "leaderId", hall_id AS "hallId", device_id AS "deviceId", target_id AS "targetId",
         action, comment, at, received_at AS "receivedAt"
       FROM leader_actions WHERE leader_id = $1 ORDER BY at, id`,
      [leaderId],
    );
    return rows;
  },
  /** Inserts one audit row; the hash already stored at that seq when another row holds it. */
  async insertAudit(tx: Tx, deviceId: string, e: LeaderAuditArgs): Promise<{ inserted: true } | { heldHash: string }> {
    const { rowCount } = await tx.query(
      `INSERT INTO leader_audit (device_id, seq, at, leader_id, origin, event, target_id, detail, prev_hash, hash,
         content_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (device_id, seq) DO NOTHING`,
      [
        deviceId,
        e.seq,
        e.at,
        e.leaderId,
        e.origin,
        e.event,
        e.targetId,
        JSON.stringify(e.detail),
        e.prevHash,
        e.hash,
        e.contentHash ?? null,
      ],
    );
    if (rowCount === 1) return { inserted: true };
    const { rows } = await tx.query<{ hash: string }>(
      'SELECT hash FROM leader_audit WHERE device_id = $1 AND seq = $2',
      [deviceId, e.seq],
    );
    return { heldHash: rows[0]!.hash };
  },
  /** One device's audit rows in seq order, as hashed on the device. */
  async auditOf(db: Db, deviceId: string): Promise<(AuditEntry & { contentHash: string | null })[]> {
    const { rows } = await db.query<AuditRow>(
      `SELECT seq, at, leader_id, origin, event, target_id, detail, prev_hash, hash, content_hash
       FROM leader_audit WHERE device_id = $1 ORDER BY seq`,
      [deviceId],
    );
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      leaderId: r.leader_id,
      origin: r.origin,
      event: r.event,
      targetId: r.target_id,
      detail: r.detail,
      prevHash: r.prev_hash,
      hash: r.hash,
      contentHash: r.content_hash,
    }));
  },
};
