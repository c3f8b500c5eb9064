// The limit of the sync figure: the very rows central wrote to `mutations` in the catch-up, inserted again
// from another process into a copy of that table (LIKE … INCLUDING ALL: its columns, defaults, keys and
// indexes), with one prepared INSERT per row, once committing each row and once each batch.
import pg from 'pg';
import { perSecond } from './stats';

const COLUMNS = [
  'replica_id',
  'seq',
  'mutation_id',
  'hall_id',
  'device_id',
  'name',
  'version',
  'args',
  'entity_id',
  'schema_version',
  'device_time',
  'status',
  'result',
  'actor_staff_id',
] as const;
const JSONB = new Set(['args', 'result']);

export async function rawMutationInserts(databaseUrl: string, batch: number) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, unknown>>(
      `SELECT ${COLUMNS.join(', ')} FROM mutations ORDER BY received_order`,
    );
    // pg hands jsonb back parsed: it goes back in as the JSON text it came from.
    const values = rows.map((r) => COLUMNS.map((c) => (JSONB.has(c) ? JSON.stringify(r[c]) : r[c])));
    await client.query('CREATE TABLE bench_mutations (LIKE mutations INCLUDING ALL)');
    const insert = (v: unknown[]) =>
      client.query({
        name: 'bench_insert',
        text: `INSERT INTO bench_mutations (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
        values: v,
      });

    let t = performance.now();
    // Outside a transaction each INSERT is its own commit.
    for (const v of values) await insert(v);
    const perRow = perSecond(values.length, performance.now() - t);

    await client.query('TRUNCATE bench_mutations');
    t = performance.now();
    for (let i = 0; i < values.length; i += batch) {
      await client.query('BEGIN');
      for (const v of values.slice(i, i + batch)) await insert(v);
      await client.query('COMMIT');
    }
    const perBatch = perSecond(values.length, performance.now() - t);
    await client.query('DROP TABLE bench_mutations');
    return { rows: values.length, oneCommitPerRowPerSecond: perRow, oneCommitPerBatchPerSecond: perBatch };
  } finally {
    await client.end();
  }
}

/** How central recorded the mutations: applied or rejected, by count. */
export async function mutationOutcomes(databaseUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM mutations GROUP BY status ORDER BY status',
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  } finally {
    await client.end();
  }
}
