import type { CentralMigration } from '../migrate';

/**
 * Each hall's IANA time zone, held at central: the zone central counts a hall's days in (casework,
 * Open311, escalation) and sends the hall's devices as a `hall.zone` row. Every hall so far was taken to
 * be in Asia/Shanghai, so that is what each one gets, and its row goes out now (each with its own version
 * of the ref clock): from here on central's zone is the hall's. A device's last request is kept, to the
 * minute, for the device list.
 */
export const hallZones: CentralMigration = {
  version: 11,
  name: 'hall time zones; when each device was last seen',
  sql: `
    ALTER TABLE halls ADD COLUMN time_zone text NOT NULL DEFAULT 'Asia/Shanghai';
    ALTER TABLE devices ADD COLUMN last_seen_at timestamptz;
  `,
  async after(client) {
    const { rows } = await client.query<{ id: string; time_zone: string }>(
      'SELECT id, time_zone FROM halls ORDER BY created_at, id',
    );
    for (const h of rows) {
      const bumped = await client.query<{ version: number }>(
        'UPDATE ref_clock SET version = version + 1 WHERE id = 1 RETURNING version',
      );
      await client.query(
        `INSERT INTO ref_rows (kind, id, hall_id, leader_id, version, deleted, data)
         VALUES ('hall.zone', $1, $2, NULL, $3, false, $4)`,
        [h.id, h.id, bumped.rows[0]!.version, JSON.stringify({ timeZone: h.time_zone })],
      );
    }
  },
};
