import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { packedTicketHistory } from '../../electron/core/db/migrations/027-packed-ticket-history';
import { openDatabase } from '../../electron/core/db/open';
import { createQueueInsightStore } from '../../electron/core/store/insight-store';
import { idTextSql, timeTextSql } from '../../electron/core/store/packed-keys';
import { HISTORY_PACKING, type HistoryTable } from '../../electron/core/store/ticket-history-packing';
import { undoCommandMethodCodes, undoPackedTicketHistory } from '../fixtures/migration-undo';
import { startQueueCore } from '../fixtures/queue-core';
import { tempDir } from '../fixtures/temp-dir';

/**
 * The ticket history keeps its ids as 16 bytes and its instants as epoch ms (device migration 27): every
 * value must read back as the text the live row had, and the statistics over archived days stay the same.
 */
type Q = Awaited<ReturnType<typeof startQueueCore>>;
let q: Q | undefined;
afterEach(() => q?.stop());

const DAY = '2026-03-02';
/** 03:00 the next morning in Shanghai: the daily reset. */
const NEXT_MORNING = '2026-03-02T19:00:00.000Z';

/** A morning at two counters: finished, transferred (a child with its parent), recalled and waiting tickets. */
function morning(core: Q) {
  core.signIn('w1');
  core.signIn('w2');
  for (let i = 0; i < 6; i++) core.issue(i % 2 ? 'general' : 'social', i === 3 ? 'elderly' : 'none');
  for (const [n, w] of [...Array(4).keys()].map((n) => [n, n % 2 ? 'w2' : 'w1'] as const)) {
    const clerk = core.clerk(w);
    const called = core.queue.callNext({ mutationId: core.m(), counterId: w }, clerk).current!;
    const ids = () => ({ mutationId: core.m(), counterId: w, ticketId: called.id });
    core.advance(40_123);
    if (n === 2) {
      core.queue.recall(ids(), clerk);
      continue;
    }
    core.queue.start(ids(), clerk);
    core.advance(95_007);
    if (n === 1) core.queue.transfer({ ...ids(), toQueueId: 'fund' }, clerk);
    else core.queue.finish(ids(), clerk);
  }
}

/** The history's rows as text, every column, in a stable order. */
function historyText(db: Database, table: HistoryTable) {
  const { ids, times } = HISTORY_PACKING[table];
  const columns = db.prepare<[string], string>('SELECT name FROM pragma_table_info(?)').pluck().all(table);
  const text = columns.map((n) =>
    ids.includes(n) ? `${idTextSql(n)} AS ${n}` : times.includes(n) ? `${timeTextSql(n)} AS ${n}` : `"${n}"`,
  );
  return db
    .prepare(
      `SELECT ${text.join(', ')} FROM ${table} ORDER BY hall_day, ${table === 'ticket_history' ? 'id' : 'ticket_id, id'}`,
    )
    .all();
}

const kinds = (db: Database, table: HistoryTable, column: string) =>
  db
    .prepare<[], string>(`SELECT DISTINCT typeof(${column}) FROM ${table} WHERE ${column} IS NOT NULL`)
    .pluck()
    .all()
    .sort();

const statistics = (db: Database) => {
  const insight = createQueueInsightStore(db);
  return { tickets: insight.tickets(DAY, DAY), finishes: insight.finishEvents(DAY, DAY) };
};

describe('the ticket history', () => {
  it('keeps the day’s ids and instants packed; every value and the statistics read back as they were', async () => {
    q = await startQueueCore();
    morning(q);
    const liveTickets = q.db.prepare('SELECT * FROM tickets ORDER BY hall_day, id').all();
    const liveEvents = q.db.prepare('SELECT * FROM ticket_events ORDER BY hall_day, ticket_id, id').all();
    const before = statistics(q.db);
    expect(before.tickets.filter((t) => t.parent_id !== null)).toHaveLength(1);
    expect(before.finishes.length).toBeGreaterThan(1);

    q.setNow(NEXT_MORNING);
    expect(q.queue.rollover()).toBe(true);
    expect(q.db.prepare('SELECT count(*) FROM tickets').pluck().get()).toBe(0);
    expect(historyText(q.db, 'ticket_history')).toEqual(liveTickets);
    expect(historyText(q.db, 'ticket_event_history')).toEqual(liveEvents);
    expect(statistics(q.db)).toEqual(before);
    for (const [table, { ids, times }] of Object.entries(HISTORY_PACKING) as [
      HistoryTable,
      (typeof HISTORY_PACKING)[HistoryTable],
    ][]) {
      for (const c of ids) expect(kinds(q.db, table, c)).toEqual(['blob']);
      for (const c of times) expect(kinds(q.db, table, c)).toEqual(['integer']);
    }
  });

  it('is packed by migration 27 from the text a device already has, values that would not read back kept as they are', async () => {
    const tmp = tempDir('ow-migrate-ticket-history-');
    try {
      q = await startQueueCore(undefined, { dataDir: tmp.dir });
      morning(q);
      q.setNow(NEXT_MORNING);
      q.queue.rollover();
      const stats = statistics(q.db);
      undoCommandMethodCodes(q.db);
      undoPackedTicketHistory(q.db);
      // Rows of an older device: an id that is no lowercase UUID, an instant not in toISOString's form.
      q.db.exec(`
        INSERT INTO ticket_history (id, hall_day, queue_id, seq, number, state, priority, applicant_type, arrived_at,
          arrived_ms, issued_at, call_count, reactivated)
        VALUES ('LEGACY-7', '2026-03-01', 'general', 1, 'A001', 'cancelled', 'none', 'person',
          '2026-03-01T09:00:00+08:00', 1772326800000, '2026-03-01T01:00:00Z', 0, 0);
        INSERT INTO ticket_event_history (id, ticket_id, hall_day, action, from_state, to_state, at, actor)
        VALUES (0, 'LEGACY-7', '2026-03-01', 'cancel', 'waiting', 'cancelled', '2026-03-01T01:00:00Z', 'kiosk-1');`);
      const tickets = historyText(q.db, 'ticket_history');
      const events = historyText(q.db, 'ticket_event_history');
      expect(kinds(q.db, 'ticket_history', 'issued_at')).toEqual(['text']);
      q.db.pragma(`user_version = ${deviceMigrations.indexOf(packedTicketHistory)}`);
      q.stop();
      q = undefined;

      const { db } = await openDatabase({ file: path.join(tmp.dir, 'device.sqlite'), migrations: deviceMigrations });
      try {
        expect(historyText(db, 'ticket_history')).toEqual(tickets);
        expect(historyText(db, 'ticket_event_history')).toEqual(events);
        expect(statistics(db)).toEqual(stats);
        const odd = db
          .prepare(
            "SELECT typeof(id) AS id, typeof(arrived_at) AS arrived, typeof(issued_at) AS issued FROM ticket_history WHERE hall_day = '2026-03-01'",
          )
          .get();
        expect(odd).toEqual({ id: 'text', arrived: 'text', issued: 'text' });
        expect(kinds(db, 'ticket_history', 'issued_at')).toEqual(['integer', 'text']);
        expect(kinds(db, 'ticket_event_history', 'ticket_id')).toEqual(['blob', 'text']);
        expect(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'ticket_history_day'").get()).toBeDefined();
      } finally {
        db.close();
      }
    } finally {
      tmp.remove();
    }
  });
});
