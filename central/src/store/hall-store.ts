import crypto from 'node:crypto';
import type { Db, Tx } from '../db/pool';
import { NUDGE_CHANNEL, type NudgeMessage } from './nudge-store';

export const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export interface Hall {
  id: string;
  code: string;
  name: string;
}

export interface Device {
  id: string;
  hallId: string;
  role: string;
  leaderId: string | null;
  name: string;
  revoked: boolean;
}

interface DeviceRow {
  id: string;
  hall_id: string;
  role: string;
  leader_id: string | null;
  name: string;
  revoked_at: Date | null;
}
const toDevice = (r: DeviceRow): Device => ({
  id: r.id,
  hallId: r.hall_id,
  role: r.role,
  leaderId: r.leader_id,
  name: r.name,
  revoked: r.revoked_at !== null,
});

/** Halls, one-time enrollment codes and enrolled devices: SQL only. */
export const hallStore = {
  async createHall(db: Db | Tx, hall: Hall): Promise<Hall> {
    await db.query('INSERT INTO halls (id, code, name) VALUES ($1, $2, $3)', [hall.id, hall.code, hall.name]);
    return hall;
  },
  async halls(db: Db): Promise<Hall[]> {
    return (await db.query<Hall>('SELECT id, code, name FROM halls ORDER BY code')).rows;
  },
  async hall(db: Db | Tx, id: string): Promise<Hall | undefined> {
    return (await db.query<Hall>('SELECT id, code, name FROM halls WHERE id = $1', [id])).rows[0];
  },
  async createCode(
    db: Db | Tx,
    c: { code: string; hallId: string; role: string; leaderId: string | null; expiresAt: Date },
  ): Promise<void> {
    await db.query(
      'INSERT INTO enrollment_codes (code_sha256, hall_id, role, leader_id, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [sha256(c.code), c.hallId, c.role, c.leaderId, c.expiresAt],
    );
  },
  /** Takes a code for a device, in the enrolling transaction; undefined when unknown, used or expired. */
  async useCode(
    tx: Tx,
    code: string,
    deviceId: string,
  ): Promise<{ hallId: string; role: string; leaderId: string | null } | undefined> {
    const { rows } = await tx.query<{ hall_id: string; role: string; leader_id: string | null }>(
      `UPDATE enrollment_codes SET used_at = now(), device_id = $2
       WHERE code_sha256 = $1 AND used_at IS NULL AND expires_at > now()
       RETURNING hall_id, role, leader_id`,
      [sha256(code), deviceId],
    );
    const r = rows[0];
    return r && { hallId: r.hall_id, role: r.role, leaderId: r.leader_id };
  },
  async insertDevice(tx: Tx, d: Omit<Device, 'revoked'>, token: string): Promise<void> {
    await tx.query(
      'INSERT INTO devices (id, hall_id, role, leader_id, name, token_sha256) VALUES ($1, $2, $3, $4, $5, $6)',
      [d.id, d.hallId, d.role, d.leaderId, d.name, sha256(token)],
    );
  },
  async deviceByToken(db: Db, token: string): Promise<Device | undefined> {
    const { rows } = await db.query<DeviceRow>(
      'SELECT id, hall_id, role, leader_id, name, revoked_at FROM devices WHERE token_sha256 = $1',
      [sha256(token)],
    );
    return rows[0] && toDevice(rows[0]);
  },
  async device(db: Db | Tx, id: string): Promise<Device | undefined> {
    const { rows } = await db.query<DeviceRow>(
      'SELECT id, hall_id, role, leader_id, name, revoked_at FROM devices WHERE id = $1',
      [id],
    );
    return rows[0] && toDevice(rows[0]);
  },
  async devices(db: Db, hallId: string): Promise<Device[]> {
    const { rows } = await db.query<DeviceRow>(
      'SELECT id, hall_id, role, leader_id, name, revoked_at FROM devices WHERE hall_id = $1 ORDER BY enrolled_at',
      [hallId],
    );
    return rows.map(toDevice);
  },
  /** Revokes the device and, in the same statement, tells every central process to close its streams. */
  async revoke(db: Db | Tx, deviceId: string): Promise<boolean> {
    const r = await db.query(
      `WITH revoked AS (UPDATE devices SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id)
       SELECT pg_notify($2, $3) FROM revoked`,
      [deviceId, NUDGE_CHANNEL, JSON.stringify({ kind: 'revoked', deviceId } satisfies NudgeMessage)],
    );
    return r.rowCount === 1;
  },
};
