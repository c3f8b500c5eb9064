import type { Migration } from '../migration';

/**
 * Scanned pages. The bytes live in files named by their SHA-256 under the data folder (a 20 MiB scan
 * in a row would bloat every backup and the WAL); these tables list which file belongs to which material
 * of which case, in order, and whether central holds it yet. A page is a draft's (case_id NULL) until
 * `case.intake` binds it to the case it accepted, in the same transaction.
 */
export const attachments: Migration = {
  version: 17,
  name: 'attachment pages and their content-addressed files',
  up(db) {
    db.exec(`
      CREATE TABLE attachment_blobs (
        sha256 TEXT PRIMARY KEY,
        bytes INTEGER NOT NULL CHECK (bytes > 0),
        mime TEXT NOT NULL,
        created_at TEXT NOT NULL,
        confirmed_at TEXT,
        pruned_at TEXT
      ) WITHOUT ROWID;
      CREATE TABLE attachment_pages (
        id TEXT PRIMARY KEY,
        draft_id TEXT NOT NULL,
        case_id TEXT,
        material_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        sha256 TEXT NOT NULL REFERENCES attachment_blobs(sha256),
        added_at TEXT NOT NULL
      );
      CREATE INDEX attachment_pages_draft ON attachment_pages(draft_id, material_id, position);
      CREATE INDEX attachment_pages_case ON attachment_pages(case_id) WHERE case_id IS NOT NULL;
      CREATE INDEX attachment_pages_sha ON attachment_pages(sha256);
    `);
  },
};
