import type { Migration } from '../migration';

/**
 * Which way each record came: pulled from central (`central`), which a restarted central history may
 * drop and send again, or imported by hand on this device (`local`), which central never had and a
 * reset must therefore never touch.
 *
 * Existing rows are told apart by the audit log, the only trace of where content came from: each
 * import writes its records with `updated_at` = the import's time and, in the same transaction a few
 * milliseconds later, one `import` audit row whose origin is `sync` for the pull and the caller's
 * window or session for a hand import. A record is central's when a pull's import of its leader is
 * logged within a minute after its last write and no hand import of that leader is logged within a
 * minute of it either way. Anything else (a hand import, a clock that jumped, two imports too close
 * to tell apart) stays `local`: a record wrongly kept only goes stale, one wrongly dropped is lost.
 */
export const recordSource: Migration = {
  version: 2,
  name: 'leader record source',
  up(db) {
    db.exec(`
      ALTER TABLE leader_record
        ADD COLUMN source TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('central', 'local'));

      UPDATE leader_record AS r SET source = 'central'
      WHERE EXISTS (
          SELECT 1 FROM leader_audit a
          WHERE a.event = 'import' AND a.origin = 'sync' AND a.leader_id = r.leader_id
            AND julianday(a.at) BETWEEN julianday(r.updated_at) AND julianday(r.updated_at) + 60.0 / 86400)
        AND NOT EXISTS (
          SELECT 1 FROM leader_audit a
          WHERE a.event = 'import' AND a.origin <> 'sync' AND a.leader_id = r.leader_id
            AND julianday(a.at) BETWEEN julianday(r.updated_at) - 60.0 / 86400
                                    AND julianday(r.updated_at) + 60.0 / 86400);
    `);
  },
};
