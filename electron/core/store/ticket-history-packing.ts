import type { Database } from 'better-sqlite3';
import { packIdSql, packTimeSql } from './packed-keys';

/**
 * Which columns of the ticket history the daily archive keeps packed (device migration 27, packed-keys.ts):
 * the ids as 16 bytes, the instants as epoch ms. The history grows by every ticket and event of every day
 * and is read only by the statistics (insight-store), which read them back as text.
 */
export const HISTORY_PACKING: Record<HistoryTable, HistoryPacking> = {
  ticket_history: {
    ids: ['id', 'parent_id'],
    times: ['arrived_at', 'issued_at', 'first_called_at', 'last_called_at', 'service_started_at', 'finished_at'],
  },
  ticket_event_history: { ids: ['ticket_id'], times: ['at'] },
};
export type HistoryTable = 'ticket_history' | 'ticket_event_history';
export interface HistoryPacking {
  ids: readonly string[];
  times: readonly string[];
}

export interface HistoryColumn {
  name: string;
  type: string;
  /** SQL of the column's value packed, from a row of the same columns (a live ticket or event). */
  packed: string;
  /** Kept packed: declared without a type, so SQLite stores a blob or an integer as it is given. */
  isPacked: boolean;
}

/**
 * The history table's columns, in their order (the live table's), each with the SQL that packs it; a
 * migration passes the packing of its own version.
 */
export function historyColumns(
  db: Database,
  table: HistoryTable,
  { ids, times }: HistoryPacking = HISTORY_PACKING[table],
): HistoryColumn[] {
  const isId = (n: string) => ids.includes(n);
  const isTime = (n: string) => times.includes(n);
  return db
    .prepare<[], { name: string; type: string }>(`SELECT name, type FROM pragma_table_info('${table}')`)
    .all()
    .map(({ name, type }) => {
      const c = `"${name}"`;
      const packed = isId(name) ? packIdSql(c) : isTime(name) ? packTimeSql(c) : c;
      return { name, type, packed, isPacked: isId(name) || isTime(name) };
    });
}
