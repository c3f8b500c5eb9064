import fs from 'node:fs';
import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../central/src/db/pool';
import { migrate } from '../../central/src/db/migrate';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../central/src/embedded';
import { startGuardedLoopback } from '../../central/src/embedded-loopback';
import { PGLITE_TEMPLATE_ENV } from '../fixtures/test-postgres';

/**
 * On Windows the embedded PGlite behind `npm run central` listened on a loopback port with no password (its
 * wire server asks none): any local account or process could open a session and read or change every table,
 * or take its one connection and stall central. The loopback path, forced here on any platform as Windows
 * runs it, must serve central's own pool and nobody else.
 */

/** The tests' initdb'd data directory when global-setup made one (else each start runs initdb). */
function template(): Blob | undefined {
  const file = process.env[PGLITE_TEMPLATE_ENV];
  return file ? new Blob([fs.readFileSync(file)]) : undefined;
}

/** A PostgreSQL startup message for user and database `postgres`, as any client sends first. */
function startupMessage(): Buffer {
  const params = Buffer.from('user\0postgres\0database\0postgres\0\0');
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + params.length, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, params]);
}

/**
 * Sends `bytes` to where `url` points and resolves at the server's first answer ('answered') or when it
 * closes the connection without one ('closed silently').
 */
function rawAttempt(url: string, bytes: Buffer): Promise<'answered' | 'closed silently'> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port) }, () => socket.write(bytes));
    socket.once('data', () => {
      socket.destroy();
      resolve('answered');
    });
    socket.once('error', () => undefined);
    socket.once('close', () => resolve('closed silently'));
  });
}

/** A plain `pg` client, as any local program would open one: resolves to its rows or its error. */
async function plainClient(url: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.query('SELECT 1 AS one')).rows;
  } catch (e) {
    return e;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The embedded database as central starts it on Windows, with one connection or, where a refusal must not be
 * put down to connections taken by the tests before, a few.
 */
function startLoopback(maxConnections = 1) {
  return startEmbeddedPostgres(undefined, { loadDataDir: template(), loopback: true, maxConnections });
}

describe('central: the embedded database on loopback (Windows) is central’s alone', () => {
  let embedded: EmbeddedPostgres;
  beforeAll(async () => {
    embedded = await startLoopback(4);
  }, 120_000);
  afterAll(() => embedded.stop());

  it('listens on loopback only', () => {
    expect(new URL(embedded.url).hostname).toBe('127.0.0.1');
  });

  it('gives a plain PostgreSQL client no session', async () => {
    const outcome = await plainClient(embedded.url);
    expect(outcome).toBeInstanceOf(Error);
  });

  it('answers a startup message with not a byte, and closes', async () => {
    expect(await rawAttempt(embedded.url, startupMessage())).toBe('closed silently');
  });

  it('shuts out a client whose secret is central’s own but for one bit', async () => {
    // A socket from central's own `stream`, whose first write (the secret) has its last bit flipped. Patched
    // on 'connect', ahead of the secret's writer: net.Socket's connect() puts its own `write` back.
    const nearly = () => {
      const socket = embedded.stream!();
      socket.prependOnceListener('connect', () => {
        const write = socket.write.bind(socket) as (chunk: Buffer) => boolean;
        socket.write = ((chunk: Buffer) => {
          socket.write = write as typeof socket.write;
          return write(Buffer.concat([chunk.subarray(0, -1), Buffer.from([chunk[chunk.length - 1]! ^ 1])]));
        }) as typeof socket.write;
      });
      return socket;
    };
    const client = new pg.Client({ connectionString: embedded.url, stream: nearly });
    client.on('error', () => undefined);
    await expect(client.connect()).rejects.toThrow(/terminated/);
  });

  it('serves central’s own pool: its migrations, then its queries, on the one connection it keeps', async () => {
    const pool = createPool(embedded.url, 1, undefined, { keepIdle: true, stream: embedded.stream });
    let connections = 0;
    pool.on('connect', () => connections++);
    try {
      const version = await migrate(pool);
      const applied = await pool.query<{ v: number }>('SELECT max(version) AS v FROM schema_migrations');
      expect(applied.rows).toEqual([{ v: version }]);
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      expect(connections).toBe(1);
    } finally {
      await pool.end();
    }
  }, 120_000);
});

describe('central: a stranger on the embedded database’s loopback port', () => {
  it('cannot take its one connection by connecting first', async () => {
    const embedded = await startLoopback();
    const stranger = net.connect({ host: '127.0.0.1', port: Number(new URL(embedded.url).port) });
    stranger.on('error', () => undefined);
    await new Promise((resolve) => stranger.once('connect', resolve));
    const pool = createPool(embedded.url, 1, undefined, { keepIdle: true, stream: embedded.stream });
    try {
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
      stranger.destroy();
      await embedded.stop();
    }
  }, 120_000);

  it('is shut out when it sends nothing before the deadline', async () => {
    const db = await PGlite.create({ loadDataDir: template() });
    const front = await startGuardedLoopback(db, { maxConnections: 1, secretDeadlineMs: 200 });
    try {
      expect(await rawAttempt(front.url, Buffer.alloc(0))).toBe('closed silently');
    } finally {
      await front.stop();
      await db.close();
    }
  }, 120_000);
});
