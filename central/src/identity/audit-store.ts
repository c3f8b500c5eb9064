import type { Db, Tx } from '../db/pool';
import type { AuditRecordArgs } from './identity-types';

type Q = Db | Tx;

export interface AdminAuditWrite {
  staffId: string | null;
  login: string | null;
  action: string;
  method: string | null;
  path: string | null;
  entity: string | null;
  hallId: string | null;
  before: unknown;
  after: unknown;
  outcome: 'ok' | 'refused';
}

export interface AdminAuditRow extends AdminAuditWrite {
  id: number;
  at: string;
}

export interface AuditQuery {
  from: string | null;
  to: string | null;
  limit: number;
  actor: string | null;
  /** null: every hall (and rows of no hall); else only these halls' rows. */
  hallIds: string[] | null;
}

/** The admin audit trail and the hall devices' audit rows: SQL only, append only. */
export const auditStore = {
  async admin(tx: Q, a: AdminAuditWrite): Promise<void> {
    await tx.query(
      `INSERT INTO admin_audit (staff_id, login, action, method, path, entity, hall_id, before, after, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        a.staffId,
        a.login,
        a.action,
        a.method,
        a.path,
        a.entity,
        a.hallId,
        a.before === undefined ? null : JSON.stringify(a.before),
        a.after === undefined ? null : JSON.stringify(a.after),
        a.outcome,
      ],
    );
  },
  async list(db: Q, q: AuditQuery): Promise<AdminAuditRow[]> {
    const { rows } = await db.query<AdminAuditRow>(
      `SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, staff_id AS "staffId",
         login, action, method, path, entity, hall_id AS "hallId", before, after, outcome
       FROM admin_audit
       WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::timestamptz IS NULL OR at < $2)
         AND ($3::text IS NULL OR staff_id = $3 OR login = $3)
         AND ($4::uuid[] IS NULL OR hall_id = ANY($4::uuid[]))
       ORDER BY id DESC LIMIT $5`,
      [q.from, q.to, q.actor, q.hallIds, q.limit],
    );
    return rows;
  },
  /**
   * Keeps one device audit row. chain_ok: the row follows the device's row at seq − 1 (its hash is this
   * row's prev_hash), or is the first. The same row again is a no-op; another row at a held seq is not kept.
   */
  async insertDeviceAudit(
    tx: Tx,
    device: { id: string; hallId: string },
    a: AuditRecordArgs,
  ): Promise<'inserted' | 'same' | 'seq-taken'> {
    const held = await tx.query<{ audit_id: string }>(
      'SELECT audit_id FROM device_audit WHERE (device_id = $1 AND seq = $2) OR audit_id = $3',
      [device.id, a.seq, a.auditId],
    );
    if (held.rows.length > 0) return held.rows.every((r) => r.audit_id === a.auditId) ? 'same' : 'seq-taken';
    await tx.query(
      `INSERT INTO device_audit (audit_id, hall_id, device_id, seq, hash, prev_hash, at, action, actor_staff_id,
         actor_login, origin, target, outcome, detail, chain_ok)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
         $4 = 1 OR EXISTS (SELECT 1 FROM device_audit WHERE device_id = $3 AND seq = $4 - 1 AND hash = $6))`,
      [
        a.auditId,
        device.hallId,
        device.id,
        a.seq,
        a.hash,
        a.prevHash,
        a.at,
        a.action,
        a.actorStaffId,
        a.actorLogin,
        a.origin,
        a.target,
        a.outcome,
        JSON.stringify(a.detail),
      ],
    );
    return 'inserted';
  },
  async deviceAudit(db: Q, deviceId: string): Promise<{ seq: number; action: string; chainOk: boolean }[]> {
    const { rows } = await db.query(
      `SELECT seq, action, chain_ok AS "chainOk" FROM device_audit WHERE device_id = $1 ORDER BY seq`,
      [deviceId],
    );
    return rows;
  },
};
