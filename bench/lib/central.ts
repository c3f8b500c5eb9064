// Central as it is deployed: the `npm run central` entry (its command read from package.json) in its own
// process group on a fresh PostgreSQL database, logging at its default level to a file, with its default
// rate limit. Nothing is lifted or silenced for the bench; what was used is returned to be printed.
import fs from 'node:fs';
import path from 'node:path';
import { ADMIN_TOKEN, centralAdmin } from '../../tests/fixtures/central-server';
import { createTestDatabase } from '../../tests/fixtures/central-db';
import { answers, resolveTestPostgres, TEST_PG_ENV } from '../../tests/fixtures/test-postgres';
import { freePort, waitUntil } from './hub';
import { ownedTempDir, spawnOwned, stopOwned } from './processes';

/** `node <args>` of package.json's `central` script. */
function centralCommand(): string[] {
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  const [node, ...args] = pkg.scripts.central!.split(/\s+/);
  if (node !== 'node') throw new Error(`the central script is not a node command: ${pkg.scripts.central}`);
  return args;
}

/**
 * Whether a PostgreSQL server is there, decided once as the tests decide it, but giving a loaded machine
 * ten seconds, not one, to accept the connection.
 */
let serverWhy: Promise<{ mode: string; why: string }> | undefined;
async function postgresServer(): Promise<{ mode: string; why: string }> {
  serverWhy ??= resolveTestPostgres(process.env, () => answers('127.0.0.1', 5432, 10_000)).then((r) => {
    process.env[TEST_PG_ENV] = r.mode;
    return r;
  });
  return serverWhy;
}

/** Central on a fresh database, or why it cannot run (no PostgreSQL server). */
export async function startCentralProcess(): Promise<CentralProcess | { skipped: string }> {
  const pg = await postgresServer();
  if (pg.mode !== 'server') {
    return { skipped: `no PostgreSQL server (${pg.why}): central needs one in its own process` };
  }
  return runCentral();
}

async function runCentral() {
  const database = await createTestDatabase('ow_bench');
  const tmp = ownedTempDir('ow-bench-central-');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = path.join(tmp.dir, 'central.log');
  // The operator's environment minus what would change the figure: defaults for logging and rate limit.
  const { LOG_LEVEL: _l, CENTRAL_RATE_LIMIT: _r, ...env } = process.env;
  const child = spawnOwned(process.execPath, centralCommand(), {
    label: 'central',
    log,
    env: {
      ...env,
      DATABASE_URL: database.url,
      HOST: '127.0.0.1',
      PORT: String(port),
      CENTRAL_ADMIN_TOKEN: ADMIN_TOKEN,
      CENTRAL_UPDATES_DIR: path.join(tmp.dir, 'updates'),
      CENTRAL_KEYS_DIR: path.join(tmp.dir, 'keys'),
      CENTRAL_ATTACHMENTS_DIR: path.join(tmp.dir, 'attachments'),
      // The bench's devices run on the demo idHashKey.
      CENTRAL_DEMO: '1',
    },
  });
  const stop = async () => {
    await stopOwned(child);
    await database.drop();
    tmp.remove();
  };
  try {
    await waitUntil(async () => (await fetch(`${url}/healthz`)).ok, 'central', 120_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url,
    databaseUrl: database.url,
    admin: centralAdmin(url),
    settings: {
      command: `node ${centralCommand().join(' ')}`,
      logging: 'LOG_LEVEL unset: the default (info), one line per request, written to a file',
      rateLimit: 'CENTRAL_RATE_LIMIT unset: the default 600 requests per minute per device',
    },
    /** Central's folder of page files (content-addressed, `<xx>/<sha256>`). */
    attachmentsDir: path.join(tmp.dir, 'attachments'),
    /** Bytes central logged so far. */
    logBytes: () => fs.statSync(log).size,
    stop,
  };
}
export type CentralProcess = Awaited<ReturnType<typeof runCentral>>;
