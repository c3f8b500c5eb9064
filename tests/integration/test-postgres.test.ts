import net from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { centralMigrations, migrate } from '../../central/src/db/migrate';
import { createEmbeddedTestDatabase } from '../fixtures/central-db';
import { answers, resolveTestPostgres, testPostgresAdminUrl } from '../fixtures/test-postgres';

/** Where central's tests get their databases when `npm test` runs on a machine without a server. */
describe('the test database: a PostgreSQL server or the embedded PGlite', () => {
  const never = () => Promise.reject(new Error('must not probe'));
  const probe = (answer: boolean) => () => Promise.resolve(answer);

  it('uses the server named, forced or answering, and the embedded one only with none of them', async () => {
    const url = 'postgres://postgres@127.0.0.1:1/postgres';
    expect((await resolveTestPostgres({ ONEWINDOW_TEST_PG: 'embedded', PGTEST_ADMIN_URL: url }, never)).mode).toBe(
      'embedded',
    );
    expect((await resolveTestPostgres({ ONEWINDOW_TEST_PG: 'server' }, never)).mode).toBe('server');
    // A URL that leads nowhere was still asked for: its tests fail loudly rather than move to PGlite.
    expect((await resolveTestPostgres({ PGTEST_ADMIN_URL: url }, never)).mode).toBe('server');
    expect((await resolveTestPostgres({ DATABASE_URL: url }, never)).mode).toBe('server');
    expect((await resolveTestPostgres({}, probe(true))).mode).toBe('server');
    expect(await resolveTestPostgres({}, probe(false))).toEqual({
      mode: 'embedded',
      why: 'PGTEST_ADMIN_URL is unset and nothing answers on 127.0.0.1:5432',
    });
    await expect(resolveTestPostgres({ ONEWINDOW_TEST_PG: 'pglite' }, never)).rejects.toThrow(
      /must be "embedded" or "server"/,
    );
  });

  it('creates databases through PGTEST_ADMIN_URL, else DATABASE_URL, else the local server', () => {
    expect(testPostgresAdminUrl({ PGTEST_ADMIN_URL: 'postgres://a@h/x', DATABASE_URL: 'postgres://b@h/y' })).toBe(
      'postgres://a@h/x',
    );
    expect(testPostgresAdminUrl({ DATABASE_URL: 'postgres://b@h/y' })).toBe('postgres://b@h/y');
    expect(testPostgresAdminUrl({})).toBe('postgres://postgres@127.0.0.1:5432/postgres');
  });

  it('tells a port something listens on from a closed one', async () => {
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    expect(await answers('127.0.0.1', port)).toBe(true);
    await new Promise((resolve) => server.close(resolve));
    expect(await answers('127.0.0.1', port)).toBe(false);
  });

  it('gives each embedded database its own instance, one connection a pool, and drops it whole', async () => {
    const [a, b] = await Promise.all([createEmbeddedTestDatabase(), createEmbeddedTestDatabase()]);
    const poolA = a.createPool(8);
    const poolB = b.createPool(8);
    try {
      expect(a.embedded).toBe(true);
      expect(poolA.options.max).toBe(1);
      expect(await migrate(poolA)).toBe(centralMigrations.length);
      await poolA.query(`INSERT INTO halls (id, code, name) VALUES (gen_random_uuid(), 'EMB01', 'A')`);
      // The other database is untouched: not migrated, no hall.
      const { rows } = await poolB.query(`SELECT to_regclass('halls') AS t`);
      expect(rows[0].t).toBeNull();
    } finally {
      await poolA.end();
      await poolB.end();
      await b.drop();
    }
    await a.drop();
    const after = new pg.Client({ connectionString: a.url });
    // Gone: its socket file (Unix) or its port (Windows) with it.
    await expect(after.connect()).rejects.toThrow(/ECONNREFUSED|ENOENT/);
  }, 120_000);
});
