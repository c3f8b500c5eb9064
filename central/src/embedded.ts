import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PostgreSQL without a server for a newcomer's `npm run central`: PGlite (Postgres compiled to WASM)
 * in this process, behind its wire-protocol socket so the very same `pg` code talks to it. It has one
 * backend, so the pool using it must hold a single connection (transactions would interleave otherwise).
 * `dataDir` undefined keeps the database in memory; `loadDataDir` starts it from a `dumpDataDir()` tarball
 * instead of running initdb (the tests' throw-away databases); `maxConnections` (default 1) is how many
 * sockets it accepts at once.
 *
 * The wire protocol here asks for no password, so the socket is a Unix socket in a fresh folder only this
 * account may enter (0700): on a loopback port any account of the machine could read every table, or hold
 * the single backend and stall central. Windows has no such socket for `pg`: there it stays on loopback.
 */
export async function startEmbeddedPostgres(
  dataDir: string | undefined,
  opts: { loadDataDir?: Blob; maxConnections?: number; loopback?: boolean } = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const db = await PGlite.create({ dataDir, loadDataDir: opts.loadDataDir });
  // Under the OS temp folder, never the data folder: a socket path has a limit of about 100 bytes.
  const socketDir = (opts.loopback ?? process.platform === 'win32') ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'ow-pg-'));
  if (socketDir) fs.chmodSync(socketDir, 0o700);
  const server = new PGLiteSocketServer({
    db,
    maxConnections: opts.maxConnections,
    // `pg` finds a server's socket as `<dir>/.s.PGSQL.<port>`; 5432 is its default port.
    ...(socketDir ? { path: path.join(socketDir, '.s.PGSQL.5432') } : { host: '127.0.0.1', port: 0 }),
  });
  try {
    await server.start();
  } catch (e) {
    await db.close();
    if (socketDir) fs.rmSync(socketDir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: socketDir
      ? `postgres://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`
      : `postgres://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
      if (socketDir) fs.rmSync(socketDir, { recursive: true, force: true });
    },
  };
}
