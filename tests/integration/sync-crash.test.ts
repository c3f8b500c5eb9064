import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../fixtures/central-db';
import { openSyncDevice } from '../fixtures/central-device';
import { ADMIN_TOKEN, centralAdmin } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

const TOTAL = 3000;
const ROUNDS = 10;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A child process that can be killed -9 and started again. */
function restartable(script: string, args: string[], env: NodeJS.ProcessEnv) {
  let child: ChildProcess | undefined;
  return {
    start() {
      child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr?.on('data', (d) => process.stderr.write(`[${path.basename(script)}] ${d}`));
    },
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill(signal);
      });
    },
  };
}

/**
 * (2) Central and a device, each its own process, killed -9 at random moments (mid-batch), again and
 * again while the device writes. Afterwards: every acknowledged write is at central, none twice, the
 * queue is empty, and central received the device's writes in the order it made them.
 */
describe('kill -9 of central and of the device, repeatedly', () => {
  const tmp = tempDir('ow-sync-crash-');
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let port: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    port = await freePort();
  });
  afterAll(async () => {
    await database.drop();
    tmp.remove();
  });

  it('loses no acknowledged write, duplicates none, and drains to zero', async () => {
    const url = `http://127.0.0.1:${port}`;
    const central = restartable('tests/fixtures/central-process.ts', [], {
      DATABASE_URL: database.url,
      PORT: String(port),
      CENTRAL_ADMIN_TOKEN: ADMIN_TOKEN,
      CENTRAL_RATE_LIMIT: '100000',
      LOG_LEVEL: 'error',
    });
    const waitForCentral = async () => {
      for (let i = 0; i < 400; i++) {
        if (
          await fetch(`${url}/healthz`).then(
            (r) => r.ok,
            () => false,
          )
        )
          return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('central did not start');
    };
    central.start();
    await waitForCentral();
    const admin = centralAdmin(url);
    const hall = await admin.createHall('CRASH1');
    const enrolled = await openSyncDevice({ dataDir: tmp.dir, name: 'crashy' });
    await enrolled.engine.enroll(url, await admin.code(hall.id, 'counter'));
    await enrolled.close();

    const device = restartable('tests/fixtures/central-device-process.ts', [tmp.dir, 'crashy', String(TOTAL)], {});
    device.start();
    const file = path.join(tmp.dir, 'device.sqlite');
    const progress = () => {
      const db = new Sqlite(file, { readonly: true, fileMustExist: true });
      try {
        return db
          .prepare<[], { total: number; pending: number }>(
            `SELECT count(*) AS total, coalesce(sum(status = 'pending'), 0) AS pending FROM outbox`,
          )
          .get()!;
      } finally {
        db.close();
      }
    };

    let killsCentral = 0;
    let killsDevice = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 500));
      if (round % 2 === 0) {
        await central.kill();
        killsCentral++;
        await new Promise((r) => setTimeout(r, 100));
        central.start();
        await waitForCentral();
      } else {
        await device.kill();
        killsDevice++;
        device.start();
      }
    }
    const until = Date.now() + 60_000;
    for (let p = progress(); p.total < TOTAL || p.pending > 0; p = progress()) {
      if (Date.now() > until) throw new Error(`did not drain: ${JSON.stringify(p)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await device.kill('SIGTERM');

    const local = new Sqlite(file, { readonly: true });
    const rows = local
      .prepare<[], { mutation_id: string; status: string }>(
        'SELECT mutation_id, status FROM outbox ORDER BY write_order',
      )
      .all();
    local.close();
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    const atCentral = (
      await pool.query<{ mutation_id: string }>('SELECT mutation_id FROM mutations ORDER BY received_order')
    ).rows.map((r) => r.mutation_id);
    const replicas = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM replicas')).rows[0]!.n;
    await pool.end();
    await central.kill('SIGTERM');

    expect(killsCentral + killsDevice).toBe(ROUNDS);
    expect(rows).toHaveLength(TOTAL);
    expect(rows.every((r) => r.status === 'applied')).toBe(true);
    expect(atCentral).toEqual(rows.map((r) => r.mutation_id));
    // Every start of the device was a new replica; seqs of the old ones still arrived, in order.
    expect(replicas).toBeGreaterThanOrEqual(2);
  }, 110_000);
});
