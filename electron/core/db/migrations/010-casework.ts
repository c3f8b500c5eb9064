import type { Database } from 'better-sqlite3';
import type { Migration } from '../migration';

/**
 * Casework at central reaches the counter (DOMAIN.md "Case"): the states 受理审查中 and 补正, the per-case
 * query code, what a 补正通知 asks for, the decision and the pickup, the department's note, the 补正告知书
 * among the archived documents, and central's side of each feedback item.
 *
 * The CHECK constraints of migration 4 name the old states and document kinds and cannot grow in place,
 * so `cases`, `case_events` and `case_documents` are rebuilt. Foreign keys stay ON (the migrations run in
 * one transaction, where that pragma is a no-op) and `cases` is the parent of four tables, so the usual
 * recipe (keys off, build under a new name, rename) is out: renaming rewrites the children's REFERENCES
 * to the old name. Instead each table is copied aside, dropped and created again under its own name with
 * deferred foreign keys: dropping `cases` counts one pending violation per child row, and putting the
 * rows back pays each one off, so the transaction commits only if every case came back. The children's
 * REFERENCES name `cases` throughout and are never touched.
 */
export const casework: Migration = {
  version: 10,
  name: 'casework states, query code, 补正 items, decision and pickup, 补正告知书, central feedback status',
  up(db) {
    db.pragma('defer_foreign_keys = ON');

    rebuild(
      db,
      'cases',
      `CREATE TABLE cases (
        id                  TEXT PRIMARY KEY,
        case_number         TEXT NOT NULL UNIQUE,
        state               TEXT NOT NULL CHECK (state IN ('draft', 'accepted', 'notice_issued', 'rejected', 'dispatched', 'under_review', 'in_progress', 'supplement_requested', 'completed', 'returned')),
        applicant_id        TEXT NOT NULL REFERENCES applicants (id),
        applicant_name      TEXT NOT NULL,
        applicant_id_masked TEXT NOT NULL,
        matter_code         TEXT NOT NULL REFERENCES matters (code),
        matter_name_zh      TEXT NOT NULL,
        matter_name_en      TEXT NOT NULL,
        department_id       TEXT NOT NULL REFERENCES departments (id),
        department_name_zh  TEXT NOT NULL,
        visit_id            TEXT NOT NULL REFERENCES visits (id),
        ticket_id           TEXT,
        ticket_number       TEXT,
        counter_id          TEXT NOT NULL,
        counter_number      INTEGER,
        clerk_name          TEXT NOT NULL,
        fee_fen             INTEGER NOT NULL CHECK (fee_fen >= 0),
        created_at          TEXT NOT NULL,
        accepted_at         TEXT,
        promised_date       TEXT,
        tolerance_due_date  TEXT,
        reject_reason       TEXT,
        updated_at          TEXT NOT NULL,
        -- 查询码 (shared/intake/query-code.ts); null on cases accepted before it existed.
        query_code          TEXT,
        -- JSON: the items of the department's latest 补正通知 (SupplementItem[]).
        missing             TEXT NOT NULL DEFAULT '[]',
        -- JSON: CaseDecision and CasePickup, set when the department completes the case.
        decision            TEXT,
        pickup              TEXT,
        -- The department's note with the latest status it sent.
        central_note        TEXT,
        CHECK (state <> 'rejected' OR length(reject_reason) > 0),
        CHECK (state NOT IN ('accepted', 'dispatched', 'under_review', 'in_progress', 'supplement_requested', 'completed', 'returned') OR promised_date IS NOT NULL)
      ) STRICT`,
      [
        'CREATE INDEX cases_applicant ON cases (applicant_id, created_at)',
        'CREATE INDEX cases_created ON cases (created_at)',
        // The states of OPEN_CASE_STATES as of this version: a 补正 case's clock is stopped, so it is not
        // among them. Queries must spell the same list for SQLite to use the index (a test checks it).
        `CREATE INDEX cases_open_promise ON cases (promised_date)
           WHERE state IN ('accepted', 'dispatched', 'under_review', 'in_progress')`,
        'CREATE INDEX cases_visit ON cases (visit_id)',
        "CREATE INDEX cases_supplement ON cases (updated_at) WHERE state = 'supplement_requested'",
      ],
    );

    rebuild(
      db,
      'case_events',
      `CREATE TABLE case_events (
        id         INTEGER PRIMARY KEY,
        case_id    TEXT NOT NULL REFERENCES cases (id),
        action     TEXT NOT NULL,
        from_state TEXT,
        to_state   TEXT NOT NULL CHECK (to_state IN ('draft', 'accepted', 'notice_issued', 'rejected', 'dispatched', 'under_review', 'in_progress', 'supplement_requested', 'completed', 'returned')),
        at         TEXT NOT NULL,
        actor      TEXT NOT NULL,
        note       TEXT
      ) STRICT`,
      ['CREATE INDEX case_events_case ON case_events (case_id, id)'],
    );

    rebuild(
      db,
      'case_documents',
      `CREATE TABLE case_documents (
        case_id     TEXT NOT NULL REFERENCES cases (id),
        kind        TEXT NOT NULL CHECK (kind IN ('receipt', 'notice', 'rejection', 'supplement')),
        paper       TEXT NOT NULL CHECK (paper IN ('a4', '80mm')),
        file        TEXT NOT NULL,
        sha256      TEXT NOT NULL,
        bytes       INTEGER NOT NULL,
        archived_at TEXT NOT NULL,
        PRIMARY KEY (case_id, kind, paper)
      ) STRICT`,
      [],
    );

    db.exec(`
      -- Central's side of a feedback item the hall filed (the feedback.status reference rows): how close
      -- the department is to its deadline, and the instant of the last status applied (older rows are stale).
      ALTER TABLE feedback ADD COLUMN escalation TEXT NOT NULL DEFAULT 'none'
        CHECK (escalation IN ('none', 'due_soon', 'overdue'));
      ALTER TABLE feedback ADD COLUMN central_at TEXT;
    `);

    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) throw new Error(`migration 10 left ${broken.length} rows without their parent`);
    db.pragma('defer_foreign_keys = OFF');
  },
};

/**
 * Copies `table` aside, drops it, creates it again from `create` and puts every row back by column name
 * (columns new in `create` take their defaults), then rebuilds its indexes. Throws unless every row came back.
 */
function rebuild(db: Database, table: string, create: string, indexes: readonly string[]): void {
  const columns = (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name).join(', ');
  const aside = `${table}_v9`;
  db.exec(`CREATE TEMP TABLE ${aside} AS SELECT * FROM ${table}`);
  db.exec(`DROP TABLE ${table}`);
  db.exec(create);
  const copied = db.prepare(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM temp.${aside}`).run().changes;
  const kept = (db.prepare(`SELECT count(*) AS n FROM temp.${aside}`).get() as { n: number }).n;
  if (copied !== kept) throw new Error(`migration 10 copied ${copied} of the ${kept} rows of ${table}`);
  db.exec(`DROP TABLE temp.${aside}`);
  for (const sql of indexes) db.exec(sql);
}
