import type { SecurityZone } from '@shared/sync/zones';
import type { Db, Tx } from '../db/pool';

type Q = Db | Tx;

export interface HallRow {
  id: string;
  code: string;
  name: string;
  timeZone: string;
  devices: number;
  createdAt: Date;
}

export interface DeviceRow {
  id: string;
  hallId: string;
  role: string;
  name: string;
  leaderId: string | null;
  zone: SecurityZone;
  enrolledAt: Date;
  lastSeenAt: Date | null;
  revokedAt: Date | null;
}

/** The console administration's reads: halls with their device counts, a hall's devices and leaders. SQL only. */
export const administrationStore = {
  /** Every hall, or those listed, with the number of its devices not revoked. */
  async halls(db: Q, hallIds: string[] | null): Promise<HallRow[]> {
    const { rows } = await db.query<HallRow>(
      `SELECT h.id, h.code, h.name, h.time_zone AS "timeZone", h.created_at AS "createdAt",
              (SELECT count(*)::int FROM devices d WHERE d.hall_id = h.id AND d.revoked_at IS NULL) AS devices
         FROM halls h WHERE $1::uuid[] IS NULL OR h.id = ANY($1::uuid[]) ORDER BY h.code`,
      [hallIds],
    );
    return rows;
  },

  /** A hall's devices, the newest enrolment first, with the name of the leader a leader device serves. */
  async devices(db: Q, hallId: string): Promise<DeviceRow[]> {
    const { rows } = await db.query<DeviceRow>(
      `SELECT d.id, d.hall_id AS "hallId", d.role, d.name, d.leader_id AS "leaderId", d.zone,
              d.enrolled_at AS "enrolledAt", d.last_seen_at AS "lastSeenAt", d.revoked_at AS "revokedAt"
         FROM devices d WHERE d.hall_id = $1 ORDER BY d.enrolled_at DESC, d.id`,
      [hallId],
    );
    return rows;
  },

  /** The leader accounts of a hall (the enabled ones, or all of them to name past enrolments). */
  async hallLeaders(
    db: Q,
    hallId: string,
    opts: { enabledOnly: boolean },
  ): Promise<{ staffId: string; login: string; name: string }[]> {
    const { rows } = await db.query<{ staffId: string; login: string; name: string }>(
      `SELECT id AS "staffId", login, name FROM staff
        WHERE 'leader' = ANY(roles) AND $1::uuid = ANY(hall_ids) AND (enabled OR NOT $2)
        ORDER BY name, login`,
      [hallId, opts.enabledOnly],
    );
    return rows;
  },
};
