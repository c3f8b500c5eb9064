// The limit the ticket figures are measured against: the same ticket row inserted straight into the real
// `tickets` table (the device migrations' schema: its indexes, its foreign key to the queue), WAL and
// synchronous=FULL, one durable commit per ticket. The number comes from the same statement (the
// highest of the day's queue + 1, read through the unique index), so it is unique and gapless too.
import crypto from 'node:crypto';
import Sqlite, { type Database } from 'better-sqlite3';
import { startQueueCore } from '../../tests/fixtures/queue-core';
import { BENCH_QUEUES, EXTRA_QUEUES } from './bench-queues';

/** The hall day of the hub's and the queue core's clock (2026-03-02 10:00 in Shanghai). */
export const BENCH_HALL_DAY = '2026-03-02';

/** Writes `dir`/device.sqlite as a device has it: migrated, with the bench's queues and the demo counters. */
export async function prepareTicketDb(dir: string): Promise<string> {
  const core = await startQueueCore(undefined, { dataDir: dir });
  for (const q of EXTRA_QUEUES) core.queue.upsertQueue(q);
  core.stop();
  return `${dir}/device.sqlite`;
}

/** Opens the file with the device's pragmas (journal_mode WAL is stored in the file itself). */
export function openRaw(file: string): Database {
  const db = new Sqlite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  return db;
}

const prefixOf = new Map(BENCH_QUEUES.map((q) => [q.id, q.prefix]));

export interface RawTicket {
  id: string;
  queueId: string;
  number: string;
  hallDay: string;
}

/** One ticket per call, each in its own IMMEDIATE transaction (one durable commit). */
export function rawTicketInserter(db: Database, hallDay = BENCH_HALL_DAY, now = () => new Date()) {
  const insert = db.prepare<Record<string, unknown>, { seq: number; number: string }>(`
    INSERT INTO tickets (id, hall_day, queue_id, seq, number, state, priority, applicant_type, appointment_code,
      appt_start_ms, appt_end_ms, arrived_at, arrived_ms, issued_at, parent_id, target_counter_id, reactivated)
    SELECT @id, @hallDay, @queueId, n.seq, @prefix || printf(CASE WHEN n.seq > 999 THEN '%04d' ELSE '%03d' END, n.seq),
      'waiting', 'none', @applicantType, NULL, 0, 0, @at, @ms, @at, NULL, NULL, 0
    FROM (SELECT coalesce(max(seq), 0) + 1 AS seq FROM tickets
          WHERE hall_day = @hallDay AND queue_id = @queueId AND parent_id IS NULL) AS n
    RETURNING seq, number`);
  const issue = db.transaction((queueId: string, applicantType: string): RawTicket => {
    const prefix = prefixOf.get(queueId);
    if (!prefix) throw new Error(`no demo queue "${queueId}"`);
    const at = now();
    const id = crypto.randomUUID();
    const row = insert.get({ id, hallDay, queueId, prefix, applicantType, at: at.toISOString(), ms: at.getTime() })!;
    return { id, queueId, number: row.number, hallDay };
  });
  return (queueId: string, applicantType = 'person') => issue.immediate(queueId, applicantType);
}
