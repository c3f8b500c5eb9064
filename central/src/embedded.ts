import fs from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { startGuardedLoopback } from './embedded-loopback';

export interface EmbeddedPostgres {
  url: string;
  /** pg's `stream` option, where the url alone does not get in (the guarded loopback): give it to the pool. */
  stream?: () => net.Socket;
  stop(): Promise<void>;
}

/**
 * PostgreSQL without a server for a newcomer's `npm run central`: PGlite (Postgres compiled to WASM)
 * in this process, behind its wire-protocol socket so the very same `pg` code talks to it. It has one
 * backend, so the pool using it must hold a single connection (transactions would interleave otherwise).
 * `dataDir` undefined keeps the database in memory; `loadDataDir` starts it from a `dumpDataDir()` tarball
 * instead of running initdb (the tests' throw-away databases); `maxConnections` (default 1) is how many
 * sockets it accepts at once.
 *
 * The wire protocol here asks for no password, so the socket is a Unix socket in a fresh folder only this
 * account may enter (0700): on an open loopback port any account of the machine could read every table, or
 * hold the single backend and stall central. Windows has no such socket for `pg`: there a loopback port lets
 * in only connections that first send a secret of this process's (embedded-loopback.ts), and the pool must
 * connect with `stream`. `loopback` takes that path on any platform (for the tests).
 */
export async function startEmbeddedPostgres(
  dataDir: string | undefined,
  opts: { loadDataDir?: Blob; maxConnections?: number; loopback?: boolean } = {},
): Promise<EmbeddedPostgres> {
  const db = await PGlite.create({ dataDir, loadDataDir: opts.loadDataDir });
  const maxConnections = opts.maxConnections ?? 1;
  try {
    const front =
      (opts.loopback ?? process.platform === 'win32')
        ? await startGuardedLoopback(db, { maxConnections })
        : await startOnUnixSocket(db, maxConnections);
    return {
      ...front,
      async stop() {
        await front.stop();
        await db.close();
      },
    };
  } catch (e) {
    await db.close();
    throw e;
  }
}

async function startOnUnixSocket(db: PGlite, maxConnections: number): Promise<EmbeddedPostgres> {
  // Under the OS temp folder, never the data folder: a socket path has a limit of about 100 bytes.
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ow-pg-'));
  fs.chmodSync(socketDir, 0o700);
  // `pg` finds a server's socket as `<dir>/.s.PGSQL.<port>`; 5432 is its default port.
  const server = new PGLiteSocketServer({ db, maxConnections, path: path.join(socketDir, '.s.PGSQL.5432') });
  try {
    await server.start();
  } catch (e) {
    fs.rmSync(socketDir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `postgres://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`,
    async stop() {
      await server.stop();
      fs.rmSync(socketDir, { recursive: true, force: true });
    },
  };
}
