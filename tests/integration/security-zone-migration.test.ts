import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { centralMigrations, migrate } from '../../central/src/db/migrate';
import { securityZones } from '../../central/src/db/migrations/013-security-zones';
import { DATABASE_FILE_NAME } from '../../electron/core/config/paths';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { enrolmentZone } from '../../electron/core/db/migrations/015-enrolment-zone';
import { openDatabase } from '../../electron/core/db/open';
import { createSyncStateStore } from '../../electron/core/store/sync-state-store';
import { createTestDatabase } from '../fixtures/central-db';
import { tempDir } from '../fixtures/temp-dir';

/** Devices enrolled before security zones (central migration 13, device migration 15) are in their role's zone. */
describe('security zones on databases from before them', () => {
  const tmp = tempDir('ow-migrate-zone-');
  afterAll(() => tmp.remove());

  it("gives central's devices their role's zone", async () => {
    const database = await createTestDatabase();
    const pool = database.createPool(2);
    try {
      await migrate(pool, centralMigrations.slice(0, centralMigrations.indexOf(securityZones)));
      const hallId = crypto.randomUUID();
      await pool.query(`INSERT INTO halls (id, code, name) VALUES ($1, 'OLDZ', 'Z')`, [hallId]);
      const roles = ['kiosk', 'display', 'counter', 'hub', 'admin', 'leader'];
      for (const role of roles) {
        await pool.query(
          `INSERT INTO devices (id, hall_id, role, leader_id, name, token_sha256) VALUES ($1, $2, $3, NULL, $3, $4)`,
          [crypto.randomUUID(), hallId, role, crypto.randomUUID()],
        );
      }
      await migrate(pool);
      const { rows } = await pool.query<{ role: string; zone: string }>('SELECT role, zone FROM devices ORDER BY role');
      expect(Object.fromEntries(rows.map((r) => [r.role, r.zone]))).toEqual({
        admin: 'government',
        counter: 'government',
        display: 'public',
        hub: 'government',
        kiosk: 'public',
        leader: 'core',
      });
      await expect(pool.query(`UPDATE devices SET zone = 'internet'`)).rejects.toThrow();
    } finally {
      await pool.end();
      await database.drop();
    }
  });

  it("gives an enrolled device its role's zone, and leaves one never enrolled without any", async () => {
    const file = path.join(tmp.dir, DATABASE_FILE_NAME);
    const old = await openDatabase({
      file,
      migrations: deviceMigrations.slice(0, deviceMigrations.indexOf(enrolmentZone)),
    });
    old.db
      .prepare(
        `UPDATE sync_state SET central_url = 'http://127.0.0.1:1', device_id = 'd', hall_id = 'h', hall_code = 'H',
           role = 'kiosk' WHERE id = 1`,
      )
      .run();
    old.db.close();
    const { db } = await openDatabase({ file, migrations: deviceMigrations });
    expect(createSyncStateStore(db).get().enrollment?.zone).toBe('public');
    db.close();

    const fresh = await openDatabase({ file: path.join(tmp.dir, 'fresh.sqlite'), migrations: deviceMigrations });
    expect(fresh.db.prepare('SELECT zone FROM sync_state').get()).toEqual({ zone: null });
    fresh.db.close();
  });
});
