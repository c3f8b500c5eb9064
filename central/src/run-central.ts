import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MutationRegistry } from '@shared/sync/registry';
import { createPool } from './db/pool';
import { migrate } from './db/migrate';
import { startEmbeddedPostgres } from './embedded';
import { buildCentral } from './server';

/**
 * Starts central from the environment: DATABASE_URL, else an embedded PostgreSQL in CENTRAL_DATA_DIR
 * (default ./.central-data); HOST/PORT; CENTRAL_ADMIN_TOKEN (printed once when generated);
 * CENTRAL_SYNC_SCHEMA_MIN/MAX; CENTRAL_RATE_LIMIT (requests per minute per device); LOG_LEVEL;
 * CENTRAL_UPDATES_DIR, the installers served at `/updates/` (default ./.central-updates).
 */
export async function runCentral(env: NodeJS.ProcessEnv, registry?: MutationRegistry): Promise<void> {
  const embedded = env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres(path.resolve(env.CENTRAL_DATA_DIR ?? '.central-data'));
  const url = env.DATABASE_URL ?? embedded!.url;
  // The embedded server has a single backend: one connection, or transactions would interleave.
  const pool = createPool(url, embedded ? 1 : Number(env.CENTRAL_POOL_SIZE ?? 10), (e) =>
    console.error(`idle database connection lost: ${e.message}`),
  );
  const version = await migrate(pool);
  // Beside the database folder, never inside it: the embedded PostgreSQL owns all of that one.
  const updatesDir = path.resolve(env.CENTRAL_UPDATES_DIR ?? '.central-updates');
  fs.mkdirSync(updatesDir, { recursive: true });
  const adminToken = env.CENTRAL_ADMIN_TOKEN ?? crypto.randomBytes(24).toString('base64url');
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
  if (!env.CENTRAL_ADMIN_TOKEN) console.log(`admin token (set CENTRAL_ADMIN_TOKEN to choose one): ${adminToken}`);

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
