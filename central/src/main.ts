// `npm run central`: the central server against DATABASE_URL, else an embedded PostgreSQL in ./.central-data.
import crypto from 'node:crypto';
import path from 'node:path';
import { createPool } from './db/pool';
import { migrate } from './db/migrate';
import { startEmbeddedPostgres } from './embedded';
import { buildCentral } from './server';

async function main() {
  const embedded = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres(path.resolve(process.env.CENTRAL_DATA_DIR ?? '.central-data'));
  const url = process.env.DATABASE_URL ?? embedded!.url;
  const pool = createPool(url, embedded ? 1 : Number(process.env.CENTRAL_POOL_SIZE ?? 10));
  const version = await migrate(pool);
  const adminToken = process.env.CENTRAL_ADMIN_TOKEN ?? crypto.randomBytes(24).toString('base64url');
  const schemaMin = process.env.CENTRAL_SYNC_SCHEMA_MIN;
  const schemaMax = process.env.CENTRAL_SYNC_SCHEMA_MAX;
  const app = await buildCentral({
    pool,
    adminToken,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    rateLimitPerMinute: Number(process.env.CENTRAL_RATE_LIMIT ?? 600),
    ...(schemaMin && schemaMax ? { schema: { min: Number(schemaMin), max: Number(schemaMax) } } : {}),
  });
  const address = await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 5190) });
  app.log.info({ address, schemaVersion: version, embedded: !!embedded }, 'central listening');
  if (!process.env.CENTRAL_ADMIN_TOKEN)
    console.log(`admin token (set CENTRAL_ADMIN_TOKEN to choose one): ${adminToken}`);

  const shutdown = async () => {
    await app.close();
    await pool.end();
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((e: unknown) => {
  console.error(`central failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
