import type { Database } from 'better-sqlite3';

export interface LeaderContentRow {
  kind: string;
  id: string;
  data: unknown;
  version: number;
}

/** Leader schedules, briefings and files as pulled from central: SQL only. */
export function createLeaderContentStore(db: Database) {
  const s = {
    upsert: db.prepare(`
      INSERT INTO leader_content (kind, id, data, version) VALUES (@kind, @id, @data, @version)
      ON CONFLICT (kind, id) DO UPDATE SET data = excluded.data, version = excluded.version
      WHERE excluded.version > leader_content.version`),
    remove: db.prepare('DELETE FROM leader_content WHERE kind = ? AND id = ?'),
    clear: db.prepare('DELETE FROM leader_content'),
    list: db.prepare<[string], { kind: string; id: string; data: string; version: number }>(
      'SELECT kind, id, data, version FROM leader_content WHERE kind = ? ORDER BY id',
    ),
  };
  return {
    upsert: (r: LeaderContentRow) => void s.upsert.run({ ...r, data: JSON.stringify(r.data) }),
    remove: (kind: string, id: string) => void s.remove.run(kind, id),
    clear: () => void s.clear.run(),
    list: (kind: string): LeaderContentRow[] => s.list.all(kind).map((r) => ({ ...r, data: JSON.parse(r.data) })),
  };
}
export type LeaderContentStore = ReturnType<typeof createLeaderContentStore>;
