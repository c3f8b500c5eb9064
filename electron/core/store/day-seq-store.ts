import type { Database } from 'better-sqlite3';

/** The daily allocators of case and feedback numbers; `next` must run inside the writing transaction. */
export function createDaySeqStore(db: Database) {
  const bump = db.prepare<[string, string], { last_seq: number }>(`
    INSERT INTO number_day_seq (kind, hall_day, last_seq) VALUES (?, ?, 1)
    ON CONFLICT (kind, hall_day) DO UPDATE SET last_seq = last_seq + 1
    RETURNING last_seq
  `);
  return {
    next(kind: 'case' | 'feedback', hallDay: string): number {
      if (!db.inTransaction) throw new Error('a number must be allocated inside the transaction that uses it');
      return bump.get(kind, hallDay)!.last_seq;
    },
  };
}
export type DaySeqStore = ReturnType<typeof createDaySeqStore>;
