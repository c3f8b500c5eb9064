import crypto from 'node:crypto';
import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, PGLiteSocketServer, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';

const SECRET_BYTES = 32;
/**
 * How long a new connection has to prove itself. Central's own socket sends the secret the moment it connects;
 * the bound is generous because a long PGlite statement blocks this event loop, and on waking the timer would
 * run before the secret that has long arrived is read.
 */
const SECRET_DEADLINE_MS = 10_000;

type QueryQueue = PGLiteSocketHandlerOptions['queryQueue'];

/**
 * The embedded database where `pg` cannot reach a Unix socket (Windows): a loopback port that lets a
 * connection through only once its first 32 bytes are a secret made at this start and known only to this
 * process. Anything else (a plain PostgreSQL client, a wrong secret, silence past the deadline) is closed
 * without a byte from the database, and takes none of PGlite's connections.
 *
 * Behind the port nothing listens at all: the connection, once proven, is handed to pglite-socket's
 * per-connection handler in this process. A named pipe in between (`\\.\pipe\ow-pg-<random>`) would not
 * close the hole: Windows lets every account open a pipe made with the default security for reading, and
 * pipe names can be listed, so another account could hold PGlite's one connection and stall central. In
 * process, the Windows path is also the very code the tests run on Linux. `secretDeadlineMs` is for the tests.
 */
export async function startGuardedLoopback(
  db: PGlite,
  opts: { maxConnections: number; secretDeadlineMs?: number },
): Promise<{ url: string; stream: () => net.Socket; stop(): Promise<void> }> {
  const secret = crypto.randomBytes(SECRET_BYTES);
  const queryQueue = sharedQueryQueue(db);
  const deadline = opts.secretDeadlineMs ?? SECRET_DEADLINE_MS;
  const handlers = new Set<PGLiteSocketHandler>();
  const unproven = new Set<net.Socket>();
  let stopping = false;

  const admit = (socket: net.Socket) => {
    let received = Buffer.alloc(0);
    unproven.add(socket);
    const timer = setTimeout(() => socket.destroy(), deadline);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < SECRET_BYTES) return;
      socket.pause();
      socket.off('data', onData);
      settle();
      const proven = crypto.timingSafeEqual(received.subarray(0, SECRET_BYTES), secret);
      if (!proven || stopping || handlers.size >= opts.maxConnections) return void socket.destroy();
      // What pg sent right behind the secret (its startup message) is the handler's to read.
      if (received.length > SECRET_BYTES) socket.unshift(received.subarray(SECRET_BYTES));
      attach(socket);
    };
    const onError = () => socket.destroy();
    const settle = () => {
      clearTimeout(timer);
      unproven.delete(socket);
      socket.off('error', onError);
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.once('close', settle);
  };

  const attach = (socket: net.Socket) => {
    const handler = new PGLiteSocketHandler({ queryQueue, closeOnDetach: true });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    // An erroring handler detaches without 'close' (as PGLiteSocketServer knows): both free the slot.
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
    // Paused to hand over; the handler's 'data' listener does not resume a stream paused on purpose.
    socket.resume();
  };

  const server = net.createServer(admit);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    // pg's `stream` option: pg then connects it to the url's port and sends its startup message on
    // 'connect'. This listener is registered before pg's, so the secret goes out first.
    stream: () => {
      const socket = new net.Socket();
      socket.once('connect', () => socket.write(secret));
      return socket;
    },
    async stop() {
      stopping = true;
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of unproven) socket.destroy();
      // Detaching rolls back a connection's open transaction: done before the caller closes the database.
      await Promise.all([...handlers].map((h) => h.detach(true)));
      handlers.clear();
      await closed;
    },
  };
}

/**
 * pglite-socket exports its per-connection handler but not the queue that lets several connections share one
 * PGlite; a PGLiteSocketServer makes one in its constructor, and one never started listens nowhere. Checked,
 * so that an upgrade that moves it fails here at start rather than on the first query.
 */
function sharedQueryQueue(db: PGlite): QueryQueue {
  const queue = (new PGLiteSocketServer({ db }) as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (typeof queue?.enqueue !== 'function') {
    throw new Error('@electric-sql/pglite-socket no longer keeps its query queue on the server (embedded-loopback.ts)');
  }
  return queue;
}
