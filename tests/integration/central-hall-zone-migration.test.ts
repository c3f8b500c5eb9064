import crypto from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralMigrations, migrate } from '../../central/src/db/migrate';
import { createTestDatabase } from '../fixtures/central-db';

/** A central from before hall zones (migration 9) upgraded: each hall is in Asia/Shanghai and says so to its devices. */
describe('central upgraded to hall time zones (migration 10)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: pg.Pool;
  const halls = [crypto.randomUUID(), crypto.randomUUID()];
  let clockBefore = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = database.createPool(2);
    await migrate(pool, centralMigrations.slice(0, 9));
    await pool.query(`INSERT INTO halls (id, code, name) VALUES ($1, 'OLDA', 'A'), ($2, 'OLDB', 'B')`, halls);
    const { rows } = await pool.query<{ version: number }>(
      'UPDATE ref_clock SET version = version + 5 RETURNING version',
    );
    clockBefore = rows[0]!.version;
    await migrate(pool);
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('gives every hall the hall default and one hall.zone row each, on the clock after what devices have seen', async () => {
    const zones = await pool.query<{ id: string; time_zone: string }>('SELECT id, time_zone FROM halls ORDER BY code');
    expect(zones.rows.map((r) => r.time_zone)).toEqual(['Asia/Shanghai', 'Asia/Shanghai']);
    const { rows } = await pool.query<{ id: string; hall_id: string; version: number; data: unknown }>(
      `SELECT id, hall_id, version, data FROM ref_rows WHERE kind = 'hall.zone' ORDER BY version`,
    );
    expect(rows.map((r) => [r.id, r.hall_id, r.data])).toEqual(
      expect.arrayContaining(halls.map((h) => [h, h, { timeZone: 'Asia/Shanghai' }])),
    );
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.version > clockBefore)).toBe(true);
    const clock = await pool.query<{ version: number }>('SELECT version FROM ref_clock');
    expect(clock.rows[0]!.version).toBe(clockBefore + 2);
  });
});
