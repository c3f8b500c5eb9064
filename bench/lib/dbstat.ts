// Where a device database's bytes are: each table with its indexes, from SQLite's dbstat table.
import fs from 'node:fs';
import type { Database } from 'better-sqlite3';
import { mb } from './rss';

export interface DbSize {
  fileMB: number;
  /** MB per table, its indexes included, largest first; tables under 0.05 MB left out. */
  tablesMB: Record<string, number>;
  bytes: { file: number; tables: Record<string, number> };
}

/** The file after a full checkpoint (the WAL folded in), by table. */
export function sizeByTable(db: Database): DbSize {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const rows = db
    .prepare<[], { tbl: string; bytes: number }>(
      `SELECT coalesce(m.tbl_name, s.name) AS tbl, sum(s.pgsize) AS bytes
       FROM dbstat AS s LEFT JOIN sqlite_schema AS m ON m.name = s.name
       GROUP BY tbl ORDER BY bytes DESC`,
    )
    .all();
  const tables = Object.fromEntries(rows.map((r) => [r.tbl, r.bytes]));
  const file = fs.statSync(db.name).size;
  return {
    fileMB: mb(file),
    tablesMB: Object.fromEntries(rows.map((r) => [r.tbl, mb(r.bytes)]).filter(([, v]) => (v as number) > 0)),
    bytes: { file, tables },
  };
}

/** `after - before` per table, scaled from `count` things to `per` of them, in MB. */
export function growthPer(before: DbSize, after: DbSize, count: number, per: number) {
  const scale = (bytes: number) => mb((bytes * per) / count);
  const tables: Record<string, number> = {};
  for (const [name, bytes] of Object.entries(after.bytes.tables)) {
    const grown = scale(bytes - (before.bytes.tables[name] ?? 0));
    if (grown > 0) tables[name] = grown;
  }
  return { totalMB: scale(after.bytes.file - before.bytes.file), tablesMB: tables };
}
