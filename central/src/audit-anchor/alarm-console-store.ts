import type { ConsoleAuditAlarm } from '@shared/console/audit-alarms';
import type { Db, Tx } from '../db/pool';

type Q = Db | Tx;

const SELECT = `
  SELECT a.id::text, a.hall_id AS "hallId", h.name AS "hallName", a.device_id AS "deviceId",
    d.name AS "deviceName", d.role AS "deviceRole", COALESCE(l.name, d.leader_id) AS leader, a.chain, a.kind,
    a.reason, a.head_seq AS "headSeq", a.anchored_seq AS "anchoredSeq", a.raised_at AS "raisedAt",
    k.staff_id AS "ackStaffId", k.login AS "ackLogin", s.name AS "ackName", k.note AS "ackNote",
    k.acked_at AS "ackAt"
  FROM audit_alarms a
  JOIN halls h ON h.id = a.hall_id
  JOIN devices d ON d.id = a.device_id
  LEFT JOIN staff l ON l.id = d.leader_id
  LEFT JOIN audit_alarm_acks k ON k.alarm_id = a.id
  LEFT JOIN staff s ON s.id = k.staff_id`;

interface Row extends Omit<ConsoleAuditAlarm, 'raisedAt' | 'ack'> {
  raisedAt: Date;
  ackStaffId: string | null;
  ackLogin: string | null;
  ackName: string | null;
  ackNote: string | null;
  ackAt: Date | null;
}

const alarmOf = (r: Row): ConsoleAuditAlarm => ({
  id: r.id,
  hallId: r.hallId,
  hallName: r.hallName,
  deviceId: r.deviceId,
  deviceName: r.deviceName,
  deviceRole: r.deviceRole,
  leader: r.leader,
  chain: r.chain,
  kind: r.kind,
  reason: r.reason,
  headSeq: r.headSeq,
  anchoredSeq: r.anchoredSeq,
  raisedAt: r.raisedAt.toISOString(),
  ack:
    r.ackAt === null
      ? null
      : { staffId: r.ackStaffId!, login: r.ackLogin!, name: r.ackName, note: r.ackNote!, at: r.ackAt.toISOString() },
});

/** The console's view of audit alarms and their acknowledgements: SQL only. */
export const alarmConsoleStore = {
  /** Unacknowledged first, then newest first. */
  async list(db: Q, limit: number): Promise<ConsoleAuditAlarm[]> {
    const { rows } = await db.query<Row>(`${SELECT} ORDER BY (k.alarm_id IS NULL) DESC, a.id DESC LIMIT $1`, [limit]);
    return rows.map(alarmOf);
  },
  async unacknowledged(db: Q): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_alarms a
       WHERE NOT EXISTS (SELECT 1 FROM audit_alarm_acks k WHERE k.alarm_id = a.id)`,
    );
    return rows[0]!.n;
  },
  async alarm(db: Q, id: string): Promise<ConsoleAuditAlarm | undefined> {
    const { rows } = await db.query<Row>(`${SELECT} WHERE a.id = $1`, [id]);
    return rows[0] && alarmOf(rows[0]);
  },
  /**
   * The acknowledgement, unless the alarm has one: false then. Two at once: the second waits for the first
   * to commit and finds its row.
   */
  async acknowledge(tx: Tx, a: { alarmId: string; staffId: string; login: string; note: string }): Promise<boolean> {
    const { rowCount } = await tx.query(
      `INSERT INTO audit_alarm_acks (alarm_id, staff_id, login, note) VALUES ($1, $2, $3, $4)
       ON CONFLICT (alarm_id) DO NOTHING`,
      [a.alarmId, a.staffId, a.login, a.note],
    );
    return rowCount === 1;
  },
};
