import type { AuditAlarm, AuditChainName, AuditHead } from '@shared/audit/keyed-chain';
import type { Db, Tx } from '../db/pool';

type Q = Db | Tx;

export interface Anchor {
  seq: number;
  hash: string;
  keyedFrom: number;
}
export interface HeldLink {
  seq: number;
  prevHash: string;
  hash: string;
}
export interface StoredAlarm extends AuditAlarm {
  id: string;
  hallId: string;
  deviceId: string;
  headSeq: number;
  headHash: string;
  anchoredSeq: number | null;
  anchoredHash: string | null;
  raisedAt: string;
}

// Where central keeps each chain's rows as the device pushed them (audit.record@1, leader.audit@1).
const ROWS_OF: Record<AuditChainName, string> = { staff: 'device_audit', leader: 'leader_audit' };

/** Audit chain anchors and alarms: SQL only. */
export const anchorStore = {
  /** The device's anchor for a chain, locked until the transaction ends (two pushes check one at a time). */
  async lockAnchor(tx: Tx, deviceId: string, chain: AuditChainName): Promise<Anchor | undefined> {
    const { rows } = await tx.query<Anchor>(
      `SELECT seq, hash, keyed_from AS "keyedFrom" FROM audit_anchors
       WHERE device_id = $1 AND chain = $2 FOR UPDATE`,
      [deviceId, chain],
    );
    return rows[0];
  },
  async anchor(db: Q, deviceId: string, chain: AuditChainName): Promise<Anchor | undefined> {
    const { rows } = await db.query<Anchor>(
      `SELECT seq, hash, keyed_from AS "keyedFrom" FROM audit_anchors WHERE device_id = $1 AND chain = $2`,
      [deviceId, chain],
    );
    return rows[0];
  },
  async setAnchor(tx: Tx, deviceId: string, head: AuditHead): Promise<void> {
    await tx.query(
      `INSERT INTO audit_anchors (device_id, chain, seq, hash, keyed_from) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (device_id, chain) DO UPDATE
         SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, keyed_from = EXCLUDED.keyed_from, anchored_at = now()`,
      [deviceId, head.chain, head.seq, head.hash, head.keyedFrom],
    );
  },
  /** The rows central holds of a device's chain with seq in [from, to], in order. */
  async held(tx: Tx, chain: AuditChainName, deviceId: string, from: number, to: number): Promise<HeldLink[]> {
    const { rows } = await tx.query<HeldLink>(
      `SELECT seq, prev_hash AS "prevHash", hash FROM ${ROWS_OF[chain]}
       WHERE device_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq`,
      [deviceId, from, to],
    );
    return rows;
  },
  async raise(
    tx: Tx,
    device: { id: string; hallId: string },
    head: AuditHead,
    anchored: Anchor | undefined,
    alarm: AuditAlarm,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO audit_alarms (hall_id, device_id, chain, kind, reason, head_seq, head_hash, anchored_seq,
         anchored_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (device_id, chain, kind, head_seq, head_hash) DO NOTHING`,
      [
        device.hallId,
        device.id,
        alarm.chain,
        alarm.kind,
        alarm.reason,
        head.seq,
        head.hash,
        anchored?.seq ?? null,
        anchored?.hash ?? null,
      ],
    );
  },
  /** Newest first; `hallIds` null: every hall. */
  async alarms(db: Q, q: { hallIds: string[] | null; limit: number }): Promise<StoredAlarm[]> {
    const { rows } = await db.query<StoredAlarm>(
      `SELECT id::text, hall_id AS "hallId", device_id AS "deviceId", chain, kind, reason, head_seq AS "headSeq",
         head_hash AS "headHash", anchored_seq AS "anchoredSeq", anchored_hash AS "anchoredHash",
         raised_at AS "raisedAt"
       FROM audit_alarms WHERE ($1::uuid[] IS NULL OR hall_id = ANY($1::uuid[])) ORDER BY id DESC LIMIT $2`,
      [q.hallIds, q.limit],
    );
    return rows;
  },
};
