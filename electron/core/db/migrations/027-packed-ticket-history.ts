import type { Database } from 'better-sqlite3';
import { historyColumns, type HistoryPacking, type HistoryTable } from '../../store/ticket-history-packing';
import type { Migration } from '../migration';

/**
 * The ticket history (every ticket and event of every past day, a third of a counter's records) keeps its
 * ids as 16 bytes and its instants as epoch ms (packed-keys.ts; store/ticket-history-packing.ts says which
 * columns), about 40 bytes less an event and 130 a ticket. Those columns are declared without a type: a
 * TEXT column would turn an integer back into text. Same rows, same columns in the same order (the daily
 * archive copies whole live rows), each value read back as the same text.
 */
export const packedTicketHistory: Migration = {
  version: 27,
  name: 'packed ticket history',
  up(db) {
    repack(db, 'ticket_history');
    repack(db, 'ticket_event_history');
    db.exec('CREATE INDEX ticket_history_day ON ticket_history (hall_day)');
  },
};

/** The columns this version packs, as they were then: a later change to the store's list is a migration of its own. */
const PACKED_IN_27: Record<HistoryTable, HistoryPacking> = {
  ticket_history: {
    ids: ['id', 'parent_id'],
    times: ['arrived_at', 'issued_at', 'first_called_at', 'last_called_at', 'service_started_at', 'finished_at'],
  },
  ticket_event_history: { ids: ['ticket_id'], times: ['at'] },
};

function repack(db: Database, table: HistoryTable) {
  const columns = historyColumns(db, table, PACKED_IN_27[table]);
  const declared = columns.map((c) => (c.isPacked || !c.type ? `"${c.name}"` : `"${c.name}" ${c.type}`));
  db.exec(`
    CREATE TABLE ${table}_packed (${declared.join(', ')});
    INSERT INTO ${table}_packed SELECT ${columns.map((c) => c.packed).join(', ')} FROM ${table};
    DROP TABLE ${table};
    ALTER TABLE ${table}_packed RENAME TO ${table};`);
}
