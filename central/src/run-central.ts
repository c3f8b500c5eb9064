import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MutationRegistry } from '@shared/sync/registry';
import { httpsUrl } from '@shared/validation/text';
import { createPool } from './db/pool';
import { migrate } from './db/migrate';
import { startEmbeddedPostgres } from './embedded';
import { createAdminCommand } from './identity/create-admin';
import { staffStore } from './identity/staff-store';
import { smsProviderFromEnv } from './notices/sms-config';
import { buildCentral, checkAdminSecret } from './server';
import { centralTlsFromEnv } from './tls/central-tls';
import { loadOrCreateLeaderSealKey } from './sync/leader-seal';
import { pageSealingFromEnv } from './attachments/page-key';

/**
 * Starts central from the environment: DATABASE_URL, else an embedded PostgreSQL in CENTRAL_DATA_DIR
 * (default ./.central-data); HOST/PORT; CENTRAL_ADMIN_TOKEN (an existing deployment's shared token: it
 * only exchanges, once, for the first central administrator);
 * CENTRAL_SYNC_SCHEMA_MIN/MAX; CENTRAL_RATE_LIMIT (requests per minute per device); LOG_LEVEL;
 * CENTRAL_UPDATES_DIR, the installers served at `/updates/` (default ./.central-updates);
 * CENTRAL_CONSOLE_DIR, the built web console served at `/console/` (default: `out/console` of this checkout).
 * CENTRAL_PUBLIC_URL, central's address as the public reaches it (the tracking page devices print);
 * CENTRAL_TRUST_PROXY, the proxies whose X-Forwarded-For names the client;
 * CENTRAL_DEMO=1, a demo central that devices on the public demo idHashKey may enrol with.
 * CENTRAL_KEYS_DIR, central's own key pairs (default ./.central-keys; keep it, and back it up, with the data).
 * CENTRAL_ATTACHMENTS_DIR, the scanned pages' content-addressed folder (default ./.central-attachments);
 * CENTRAL_ATTACHMENT_QUOTA_BYTES, what one device may upload per 24 hours (default 4 GiB).
 * CENTRAL_CRYPTO (default|sm), what the pages are sealed with at rest, and CENTRAL_ATTACHMENTS_KEY, their key
 * for a cluster (attachments/page-key.ts; otherwise made in CENTRAL_KEYS_DIR).
 * CENTRAL_SMS_PROVIDER and its settings, the applicants' SMS notices (notices/sms-config.ts).
 * CENTRAL_TLS (auto|on|off), CENTRAL_TLS_CERT/CENTRAL_TLS_KEY, CENTRAL_TLS_HOSTS: HTTPS (tls/central-tls.ts).
 */
/** CENTRAL_PUBLIC_URL checked at start: a typo must not reach every receipt's QR code. */
function publicUrl(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  const parsed = httpsUrl.safeParse(value);
  if (!parsed.success) throw new Error(`CENTRAL_PUBLIC_URL is not an http(s) URL: ${value}`);
  return parsed.data.replace(/\/+$/, '');
}

export async function runCentral(
  env: NodeJS.ProcessEnv,
  registry?: MutationRegistry,
  argv: readonly string[] = [],
): Promise<void> {
  // Before the database or the port: a deployment with a guessable admin secret must not come up at all.
  const adminToken = env.CENTRAL_ADMIN_TOKEN;
  if (adminToken !== undefined) checkAdminSecret(adminToken, 'CENTRAL_ADMIN_TOKEN');
  // Before the database too: central never serves plain HTTP beyond loopback.
  const host = env.HOST ?? '127.0.0.1';
  const keysDir = path.resolve(env.CENTRAL_KEYS_DIR ?? '.central-keys');
  const tls = await centralTlsFromEnv(env, keysDir, host);
  const embedded = env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres(path.resolve(env.CENTRAL_DATA_DIR ?? '.central-data'));
  const url = env.DATABASE_URL ?? embedded!.url;
  // The embedded server has a single backend: one connection, or transactions would interleave.
  const pool = createPool(
    url,
    embedded ? 1 : Number(env.CENTRAL_POOL_SIZE ?? 10),
    (e) => console.error(`idle database connection lost: ${e.message}`),
    { keepIdle: !!embedded, stream: embedded?.stream },
  );
  const version = await migrate(pool);
  const createAdminAt = argv.indexOf('--create-admin');
  if (createAdminAt >= 0) {
    const login = argv[createAdminAt + 1];
    if (!login) throw new Error('--create-admin needs a login');
    const publicUrl = env.CENTRAL_PUBLIC_URL ?? `${tls ? 'https' : 'http'}://${host}:${env.PORT ?? 5190}`;
    console.log(await createAdminCommand(pool, login, publicUrl));
    await pool.end();
    await embedded?.stop();
    return;
  }
  // Beside the database folder, never inside it: the embedded PostgreSQL owns all of that one.
  const updatesDir = path.resolve(env.CENTRAL_UPDATES_DIR ?? '.central-updates');
  fs.mkdirSync(updatesDir, { recursive: true });
  // Beside the database folder too; the private key that opens the leaders' 批示 never leaves it.
  const leaderSeal = loadOrCreateLeaderSealKey(keysDir);
  const attachmentsDir = path.resolve(env.CENTRAL_ATTACHMENTS_DIR ?? '.central-attachments');
  const pageSealing = pageSealingFromEnv(env, keysDir);
  const quota = Number(env.CENTRAL_ATTACHMENT_QUOTA_BYTES ?? 4 * 1024 ** 3);
  if (!Number.isSafeInteger(quota) || quota <= 0) throw new Error('CENTRAL_ATTACHMENT_QUOTA_BYTES is not a byte count');
  // `npm run build` writes the console here, whatever folder central is started from.
  const consoleDir = path.resolve(
    env.CENTRAL_CONSOLE_DIR ?? fileURLToPath(new URL('../../out/console', import.meta.url)),
  );
  const app = await buildCentral({
    pool,
    adminToken: adminToken?.trim(),
    registry,
    updatesDir,
    consoleDir,
    leaderSeal,
    attachments: { dir: attachmentsDir, atRest: pageSealing, deviceDailyQuotaBytes: quota },
    logger: { level: env.LOG_LEVEL ?? 'info' },
    // PGlite has one backend: no connection to spare for LISTEN.
    nudges: embedded ? false : {},
    rateLimitPerMinute: Number(env.CENTRAL_RATE_LIMIT ?? 600),
    publicUrl: publicUrl(env.CENTRAL_PUBLIC_URL),
    trustProxy: env.CENTRAL_TRUST_PROXY?.trim() || undefined,
    notices: { provider: smsProviderFromEnv(env) },
    demo: env.CENTRAL_DEMO === '1',
    ...(tls ? { tls } : {}),
    ...(env.CENTRAL_SYNC_SCHEMA_MIN && env.CENTRAL_SYNC_SCHEMA_MAX
      ? { schema: { min: Number(env.CENTRAL_SYNC_SCHEMA_MIN), max: Number(env.CENTRAL_SYNC_SCHEMA_MAX) } }
      : {}),
  });
  const address = await app.listen({ host, port: Number(env.PORT ?? 5190) });
  app.log.info(
    {
      address,
      console: `${address}/console/`,
      schemaVersion: version,
      embedded: !!embedded,
      updatesDir,
      centralPin: tls?.pin ?? null,
    },
    'central listening',
  );
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
