import fs from 'node:fs';
import path from 'node:path';
import type { MutationRegistry } from '@shared/sync/registry';
import { createPool } from './db/pool';
import { migrate } from './db/migrate';
import { startEmbeddedPostgres } from './embedded';
import { createAdminCommand } from './identity/create-admin';
import { staffStore } from './identity/staff-store';
import { buildCentral } from './server';

/**
 * Starts central from the environment: DATABASE_URL, else an embedded PostgreSQL in CENTRAL_DATA_DIR
 * (default ./.central-data); HOST/PORT; CENTRAL_ADMIN_TOKEN (an existing deployment's shared token: it
 * only exchanges, once, for the first central administrator);
 * CENTRAL_SYNC_SCHEMA_MIN/MAX; CENTRAL_RATE_LIMIT (requests per minute per device); LOG_LEVEL;
 * CENTRAL_UPDATES_DIR, the installers served at `/updates/` (default ./.central-updates).
 */
export async function runCentral(
  env: NodeJS.ProcessEnv,
  registry?: MutationRegistry,
  argv: readonly string[] = [],
): Promise<void> {
  const embedded = env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres(path.resolve(env.CENTRAL_DATA_DIR ?? '.central-data'));
  const url = env.DATABASE_URL ?? embedded!.url;
  // The embedded server has a single backend: one connection, or transactions would interleave.
  const pool = createPool(url, embedded ? 1 : Number(env.CENTRAL_POOL_SIZE ?? 10), (e) =>
    console.error(`idle database connection lost: ${e.message}`),
  );
  const version = await migrate(pool);
  const createAdminAt = argv.indexOf('--create-admin');
  if (createAdminAt >= 0) {
    const login = argv[createAdminAt + 1];
    if (!login) throw new Error('--create-admin needs a login');
    const publicUrl = env.CENTRAL_PUBLIC_URL ?? `http://${env.HOST ?? '127.0.0.1'}:${env.PORT ?? 5190}`;
    console.log(await createAdminCommand(pool, login, publicUrl));
    await pool.end();
    await embedded?.stop();
    return;
  }
  // Beside the database folder, never inside it: the embedded PostgreSQL owns all of that one.
  const updatesDir = path.resolve(env.CENTRAL_UPDATES_DIR ?? '.central-updates');
  fs.mkdirSync(updatesDir, { recursive: true });
  const adminToken = env.CENTRAL_ADMIN_TOKEN?.trim() || undefined;
  const app = await buildCentral({
    pool,
    adminToken,
    registry,
    updatesDir,
    logger: { level: env.LOG_LEVEL ?? 'info' },
    // PGlite has one backend: no connection to spare for LISTEN.
    nudges: embedded ? false : {},
    rateLimitPerMinute: Number(env.CENTRAL_RATE_LIMIT ?? 600),
    ...(env.CENTRAL_SYNC_SCHEMA_MIN && env.CENTRAL_SYNC_SCHEMA_MAX
      ? { schema: { min: Number(env.CENTRAL_SYNC_SCHEMA_MIN), max: Number(env.CENTRAL_SYNC_SCHEMA_MAX) } }
      : {}),
  });
  const address = await app.listen({ host: env.HOST ?? '127.0.0.1', port: Number(env.PORT ?? 5190) });
  app.log.info({ address, schemaVersion: version, embedded: !!embedded, updatesDir }, 'central listening');
  if (!adminToken && !(await staffStore.anyWithRole(pool, 'central_admin'))) {
    console.log('no central administrator yet: run `npm run central -- --create-admin <login>`');
  }

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await app.close();
    await pool.end();
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}
