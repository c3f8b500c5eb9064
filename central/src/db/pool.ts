import type { Duplex } from 'node:stream';
import pg from 'pg';

// bigint (count, bigserial) as JS numbers: versions and seqs stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export type Db = pg.Pool;
export type Tx = pg.PoolClient;

/**
 * `keepIdle`: never close an idle connection (the embedded database, whose single socket another client
 * could take while central's pool had let its connection go, and stall central). `stream`: the embedded
 * database's own way in where its url alone is refused (embedded.ts).
 */
export function createPool(
  connectionString: string,
  max: number,
  onIdleError: (e: Error) => void = () => undefined,
  opts: { keepIdle?: boolean; stream?: () => Duplex } = {},
): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    idleTimeoutMillis: opts.keepIdle ? 0 : 10_000,
    ...(opts.stream ? { stream: opts.stream } : {}),
  });
  // An idle connection the server ended (restart, failover) is dropped by the pool; without a listener
  // the 'error' event would end the process.
  pool.on('error', onIdleError);
  return pool;
}

/** Runs `fn` in one transaction on one connection; rolls back on any throw. */
export async function inTransaction<T>(pool: pg.Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    const value = await fn(tx);
    await tx.query('COMMIT');
    return value;
  } catch (e) {
    await tx.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    tx.release();
  }
}
