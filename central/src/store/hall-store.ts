import crypto from 'node:crypto';
import type { SecurityZone } from '@shared/sync/zones';
import type { Db, Tx } from '../db/pool';
import { NUDGE_CHANNEL, type NudgeMessage } from './nudge-store';

export const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export interface Hall {
  id: string;
  code: string;
  name: string;
  /** The hall's IANA zone (migration 010): its devices' clock, and the zone central counts its days in. */
  timeZone: string;
}

const HALL_COLUMNS = 'id, code, name, time_zone AS "timeZone"';

export interface Device {
  id: string;
  hallId: string;
  role: string;
  leaderId: string | null;
  name: string;
  /** Set by central at enrolment (migration 013): what the device may ask for beside its role. */
  zone: SecurityZone;
  revoked: boolean;
}

interface DeviceRow {
  id: string;
  hall_id: string;
  role: string;
  leader_id: string | null;
  name: string;
  zone: SecurityZone;
  revoked_at: Date | null;
}
const toDevice = (r: DeviceRow): Device => ({
  id: r.id,
  hallId: r.hall_id,
  role: r.role,
  leaderId: r.leader_id,
  name: r.name,
  zone: r.zone,
  revoked: r.revoked_at !== null,
});

/** Halls, one-time enrollment codes and enrolled devices: SQL only. */
export const hallStore = {
  async createHall(db: Db | Tx, hall: Hall): Promise<Hall> {
    await db.query('INSERT INTO halls (id, code, name, time_zone) VALUES ($1, $2, $3, $4)', [
      hall.id,
      hall.code,
      hall.name,
      hall.timeZone,
    ]);
    return hall;
  },
  async updateHall(tx: Tx, id: string, h: Pick<Hall, 'name' | 'timeZone'>): Promise<void> {
    await tx.query('UPDATE halls SET name = $2, time_zone = $3 WHERE id = $1', [id, h.name, h.timeZone]);
  },
  async halls(db: Db | Tx): Promise<Hall[]> {
    return (await db.query<Hall>(`SELECT ${HALL_COLUMNS} FROM halls ORDER BY code`)).rows;
  },
  async hall(db: Db | Tx, id: string, lock = false): Promise<Hall | undefined> {
    const forUpdate = lock ? ' FOR UPDATE' : '';
    return (await db.query<Hall>(`SELECT ${HALL_COLUMNS} FROM halls WHERE id = $1${forUpdate}`, [id])).rows[0];
  },
  /** Every hall's zone by hall id. */
  async zones(db: Db | Tx): Promise<Map<string, string>> {
    const { rows } = await db.query<{ id: string; timeZone: string }>('SELECT id, time_zone AS "timeZone" FROM halls');
    return new Map(rows.map((r) => [r.id, r.timeZone]));
  },
  async createCode(
    db: Db | Tx,
    c: {
      code: string;
      hallId: string;
      role: string;
      leaderId: string | null;
      /** null: the role's zone. */
      zone: SecurityZone | null;
      expiresAt: Date;
    },
  ): Promise<void> {
    await db.query(
      `INSERT INTO enrollment_codes (code_sha256, hall_id, role, leader_id, zone, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [sha256(c.code), c.hallId, c.role, c.leaderId, c.zone, c.expiresAt],
    );
  },
  /** Takes a code for a device, in the enrolling transaction; undefined when unknown, used or expired. */
  async useCode(
    tx: Tx,
    code: string,
    deviceId: string,
  ): Promise<{ hallId: string; role: string; leaderId: string | null; zone: SecurityZone | null } | undefined> {
    const { rows } = await tx.query<{
      hall_id: string;
      role: string;
      leader_id: string | null;
      zone: SecurityZone | null;
    }>(
      `UPDATE enrollment_codes SET used_at = now(), device_id = $2
       WHERE code_sha256 = $1 AND used_at IS NULL AND expires_at > now()
       RETURNING hall_id, role, leader_id, zone`,
      [sha256(code), deviceId],
    );
    const r = rows[0];
    return r && { hallId: r.hall_id, role: r.role, leaderId: r.leader_id, zone: r.zone };
  },
  async insertDevice(tx: Tx, d: Omit<Device, 'revoked'>, token: string): Promise<void> {
    await tx.query(
      `INSERT INTO devices (id, hall_id, role, leader_id, name, zone, token_sha256)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [d.id, d.hallId, d.role, d.leaderId, d.name, d.zone, sha256(token)],
    );
  },
  /**
   * The device holding `token`, recorded as heard from in the same statement (at most one write a minute
   * per device, none for a revoked one): every device request costs one round trip to the database here,
   * not two.
   */
  async deviceHeardFrom(db: Db, token: string): Promise<Device | undefined> {
    const { rows } = await db.query<DeviceRow>(
      `WITH d AS (SELECT id, hall_id, role, leader_id, name, zone, revoked_at FROM devices WHERE token_sha256 = $1),
       seen AS (
         UPDATE devices SET last_seen_at = now() FROM d
         WHERE devices.id = d.id AND devices.revoked_at IS NULL
           AND (devices.last_seen_at IS NULL OR devices.last_seen_at < now() - interval '1 minute'))
       SELECT id, hall_id, role, leader_id, name, zone, revoked_at FROM d`,
      [sha256(token)],
    );
    return rows[0] && toDevice(rows[0]);
  },
  /** Whether a token hash is a live device's or a live session's: who counts apart in the rate limit. */
  async tokenIsLive(db: Db, tokenSha256: string): Promise<boolean> {
    const { rows } = await db.query(
      `SELECT 1 FROM devices WHERE token_sha256 = $1 AND revoked_at IS NULL
       UNION ALL
       SELECT 1 FROM admin_sessions WHERE token_sha256 = $1 AND ended_at IS NULL AND expires_at > now()
       LIMIT 1`,
      [tokenSha256],
    );
    return rows.length > 0;
  },
  async device(db: Db | Tx, id: string): Promise<Device | undefined> {
    const { rows } = await db.query<DeviceRow>(
      'SELECT id, hall_id, role, leader_id, name, zone, revoked_at FROM devices WHERE id = $1',
      [id],
    );
    return rows[0] && toDevice(rows[0]);
  },
  async devices(db: Db, hallId: string): Promise<Device[]> {
    const { rows } = await db.query<DeviceRow>(
      'SELECT id, hall_id, role, leader_id, name, zone, revoked_at FROM devices WHERE hall_id = $1 ORDER BY enrolled_at',
      [hallId],
    );
    return rows.map(toDevice);
  },
  /** Revokes the device and, in the same statement, tells every central process to close its streams. */
  /** The enrolment of this hall a token was issued to, revoked or not: proof of which device enrols again. */
  async deviceOfHallByToken(tx: Tx, hallId: string, token: string): Promise<string | undefined> {
    const { rows } = await tx.query<{ id: string }>('SELECT id FROM devices WHERE token_sha256 = $1 AND hall_id = $2', [
      sha256(token),
      hallId,
    ]);
    return rows[0]?.id;
  },
  /** A device enrolled again: its replicas are the new enrolment's to push. */
  async handOverReplicas(tx: Tx, fromDeviceId: string, toDeviceId: string): Promise<void> {
    await tx.query('UPDATE replicas SET device_id = $2 WHERE device_id = $1', [fromDeviceId, toDeviceId]);
  },
  async revoke(db: Db | Tx, deviceId: string): Promise<boolean> {
    const r = await db.query(
      `WITH revoked AS (UPDATE devices SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id)
       SELECT pg_notify($2, $3) FROM revoked`,
      [deviceId, NUDGE_CHANNEL, JSON.stringify({ kind: 'revoked', deviceId } satisfies NudgeMessage)],
    );
    return r.rowCount === 1;
  },
};
