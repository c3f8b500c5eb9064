import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PostgreSQL without a server for a newcomer's `npm run central`: PGlite (Postgres compiled to WASM)
 * in this process, behind its wire-protocol socket so the very same `pg` code talks to it. It has one
 * backend, so the pool using it must hold a single connection (transactions would interleave otherwise).
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
