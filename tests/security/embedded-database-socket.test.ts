import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../central/src/db/pool';
import { createEmbeddedTestDatabase, type TestDatabase } from '../fixtures/central-db';

/**
 * The embedded PGlite behind `npm run central` listened on a loopback TCP port with no password: any
 * account on the machine could open a session (read every table, or just hold the single backend and stall
 * central). It must be reachable only through a socket in a folder private to central's account.
 */

/**
 * Another local account's attempt: a PostgreSQL startup message to where central's database listens, as uid
 * `nobody`. Resolves to 'accepted' when the server answered (authentication request or ok), else the error.
 */
function connectAsNobody(target: { host: string; port: number } | { path: string }): Promise<string> {
  const script = `
    const net = require('node:net');
    const target = ${JSON.stringify(target)};
    const s = net.connect(target, () => {
      const params = Buffer.from('user\\0postgres\\0database\\0postgres\\0\\0');
      const head = Buffer.alloc(8);
      head.writeInt32BE(8 + params.length, 0);
      head.writeInt32BE(196608, 4);
      s.write(Buffer.concat([head, params]));
    });
    s.once('data', (d) => { console.log(d[0] === 0x52 ? 'accepted' : 'answered ' + d[0]); s.destroy(); });
    s.once('error', (e) => console.log(e.code || e.message));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { uid: 65534, gid: 65534, cwd: '/' });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('close', () => resolve(out.trim()));
  });
}

/** Where a `pg` connection string points: a TCP host and port, or the Unix socket it names. */
function listenTarget(url: string): { host: string; port: number } | { path: string } {
  const u = new URL(url);
  const socketDir = u.searchParams.get('host');
  if (socketDir) return { path: path.join(socketDir, `.s.PGSQL.${u.port || 5432}`) };
  return { host: u.hostname, port: Number(u.port) };
}

describe.skipIf(process.platform === 'win32')('central: the embedded database is central’s alone', () => {
  // The embedded database exactly as central starts it (from the tests' template when there is one).
  let embedded: TestDatabase;
  beforeAll(async () => {
    embedded = await createEmbeddedTestDatabase();
  }, 60_000);
  afterAll(() => embedded.drop());

  it('listens on a Unix socket in a folder only its own account may enter, never on TCP', () => {
    const target = listenTarget(embedded.url);
    expect(target).toHaveProperty('path');
    const dir = path.dirname((target as { path: string }).path);
    const st = fs.statSync(dir);
    expect(st.mode & 0o777).toBe(0o700);
    expect(st.uid).toBe(process.getuid!());
  });

  it.runIf(process.getuid?.() === 0)('refuses a session from another local account', async () => {
    const outcome = await connectAsNobody(listenTarget(embedded.url));
    expect(outcome).not.toBe('accepted');
    expect(outcome).toMatch(/EACCES|ENOENT|ECONNREFUSED/);
  });

  it('still serves central itself', async () => {
    const pool = createPool(embedded.url, 1);
    try {
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });
});
