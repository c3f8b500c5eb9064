import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { resolveTestPostgres, TEST_PG_ENV } from './tests/fixtures/test-postgres.ts';

export default defineConfig(async () => {
  // Decided once per run: every worker, and global-setup, read the answer from the environment.
  const pg = await resolveTestPostgres();
  process.env[TEST_PG_ENV] = pg.mode;
  if (pg.mode === 'embedded') {
    console.log(
      `central's tests run on the embedded PostgreSQL (PGlite): ${pg.why}. ` +
        'Tests tagged "postgres" are skipped; set PGTEST_ADMIN_URL to run them on a server.',
    );
  }
  return {
    resolve: { alias: { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) } },
    define: { __APP_VERSION__: JSON.stringify('0.0.0-test') },
    test: {
      include: [
        'tests/unit/**/*.test.ts',
        'tests/integration/**/*.test.ts',
        'tests/reliability/**/*.test.ts',
        'tests/security/**/*.test.ts',
      ],
      environment: 'node',
      // Bounds for a hung test, not speed limits: on a loaded 2-core machine starting central or a hub in a
      // hook has taken over 30 s. Speed is measured by the benchmarks.
      testTimeout: 60_000,
      hookTimeout: 120_000,
      pool: 'forks',
      // One process runs file after file with its modules kept: a fresh process and module graph per file
      // was half of the run's time on two cores (about 2.3 s a file, 196 files). Files share no state
      // through modules: each opens its own databases, hosts and temp folders, and restores its spies.
      isolate: false,
      globalSetup: ['tests/fixtures/global-setup.ts'],
      tags: [
        {
          name: 'postgres',
          description:
            'needs a PostgreSQL server (LISTEN/NOTIFY, several connections or databases at once): ' +
            'skipped on the embedded PGlite',
          skip: pg.mode === 'embedded',
        },
      ],
    },
  };
});
