import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../central/src/db/pool';
import { centralMigrations, migrate } from '../../central/src/db/migrate';
import { createTestDatabase } from '../fixtures/central-db';

describe('central migrations', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: ReturnType<typeof createPool>;
  beforeAll(async () => {
    database = await createTestDatabase();
    pool = database.createPool(4);
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('migrates once even when two servers start together, and is a no-op the second time', async () => {
    const [a, b] = await Promise.all([migrate(pool), migrate(pool)]);
    expect([a, b]).toEqual([centralMigrations.length, centralMigrations.length]);
    expect(await migrate(pool)).toBe(centralMigrations.length);
    const { rows } = await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(centralMigrations.map((m) => m.version));
  });

  it('refuses a database from a newer server', async () => {
    await pool.query(`INSERT INTO schema_migrations (version, name) VALUES (99, 'from the future')`);
    await expect(migrate(pool)).rejects.toThrow(/newer than this server/);
  });

  it('rolls a failing step back whole', async () => {
    await pool.query('DELETE FROM schema_migrations WHERE version = 99');
    const broken = {
      version: centralMigrations.length + 1,
      name: 'broken',
      sql: 'CREATE TABLE half_done (id int); SELECT 1/0;',
    };
    await expect(migrate(pool, [...centralMigrations, broken])).rejects.toThrow(/division by zero/);
    expect(await migrate(pool)).toBe(centralMigrations.length);
    const { rows } = await pool.query(`SELECT to_regclass('half_done') AS t`);
    expect(rows[0].t).toBeNull();
  });
});
