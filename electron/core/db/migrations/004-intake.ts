import type { Migration } from '../migration';

export const intake: Migration = {
  version: 4,
  name: 'one-window intake',
  up(db) {
    db.exec(`
      CREATE TABLE departments (
        id       TEXT PRIMARY KEY,
        name_zh  TEXT NOT NULL,
        name_en  TEXT NOT NULL,
        phone    TEXT NOT NULL
      ) STRICT;

      CREATE TABLE matters (
        code            TEXT PRIMARY KEY,
        name_zh         TEXT NOT NULL,
        name_en         TEXT NOT NULL,
        department_id   TEXT NOT NULL REFERENCES departments (id),
        applicant_types TEXT NOT NULL,
        fee_fen         INTEGER NOT NULL CHECK (fee_fen >= 0),
        legal_days      INTEGER NOT NULL CHECK (legal_days >= 0),
        promised_days   INTEGER NOT NULL CHECK (promised_days >= 0 AND promised_days <= legal_days),
        active          INTEGER NOT NULL CHECK (active IN (0, 1))
      ) STRICT;
      CREATE INDEX matters_department ON matters (department_id);

      CREATE TABLE matter_materials (
        matter_code TEXT NOT NULL REFERENCES matters (code) ON DELETE CASCADE,
        id          TEXT NOT NULL,
        position    INTEGER NOT NULL,
        name_zh     TEXT NOT NULL,
        name_en     TEXT NOT NULL,
        requirement TEXT NOT NULL CHECK (requirement IN ('required', 'optional', 'tolerant')),
        form        TEXT NOT NULL CHECK (form IN ('original', 'copy', 'original_and_copy', 'electronic')),
        copies      INTEGER NOT NULL CHECK (copies >= 1),
        note        TEXT NOT NULL,
        PRIMARY KEY (matter_code, id)
      ) STRICT;

      -- One row per year: the dates that differ from Monday–Friday, as JSON arrays of YYYY-MM-DD.
      CREATE TABLE calendar_years (
        year     INTEGER PRIMARY KEY,
        holidays TEXT NOT NULL,
        workdays TEXT NOT NULL
      ) STRICT;

      -- Only a keyed hash (HMAC-SHA256 of id type + number) and the masked form; never the clear number.
      CREATE TABLE applicants (
        id           TEXT PRIMARY KEY,
        kind         TEXT NOT NULL CHECK (kind IN ('person', 'organisation')),
        name         TEXT NOT NULL,
        id_type      TEXT NOT NULL CHECK (id_type IN ('resident_id', 'passport', 'hkmo_permit', 'tw_permit', 'uscc')),
        id_hash      TEXT NOT NULL UNIQUE,
        id_masked    TEXT NOT NULL,
        phone        TEXT NOT NULL,
        segment      TEXT NOT NULL CHECK (segment IN ('citizen', 'enterprise', 'ngo', 'government')),
        org_type     TEXT CHECK (org_type IN ('enterprise', 'ngo', 'government')),
        contact_name TEXT,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        CHECK ((kind = 'organisation') = (org_type IS NOT NULL))
      ) STRICT;

      -- One service at a counter (a called ticket, or a walk-up without one): what a rating rates.
      CREATE TABLE visits (
        id                  TEXT PRIMARY KEY,
        counter_id          TEXT NOT NULL,
        counter_number      INTEGER,
        clerk_name          TEXT NOT NULL,
        ticket_id           TEXT UNIQUE,
        ticket_number       TEXT,
        hall_day            TEXT NOT NULL,
        applicant_id        TEXT REFERENCES applicants (id),
        started_at          TEXT NOT NULL,
        rating_status       TEXT NOT NULL DEFAULT 'none' CHECK (rating_status IN ('none', 'pending', 'rated')),
        rating_requested_at TEXT
      ) STRICT;
      CREATE INDEX visits_applicant ON visits (applicant_id);
      -- At most one rating prompt per counter at a time.
      CREATE UNIQUE INDEX visits_pending_rating ON visits (counter_id) WHERE rating_status = 'pending';

      -- The allocators of case and feedback numbers: one row per kind and hall day, bumped in the writing transaction.
      CREATE TABLE number_day_seq (
        kind     TEXT NOT NULL CHECK (kind IN ('case', 'feedback')),
        hall_day TEXT NOT NULL,
        last_seq INTEGER NOT NULL,
        PRIMARY KEY (kind, hall_day)
      ) STRICT;

      CREATE TABLE cases (
        id                  TEXT PRIMARY KEY,
        case_number         TEXT NOT NULL UNIQUE,
        state               TEXT NOT NULL CHECK (state IN ('draft', 'accepted', 'notice_issued', 'rejected', 'dispatched', 'in_progress', 'completed', 'returned')),
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
        CHECK (state <> 'rejected' OR length(reject_reason) > 0),
        CHECK (state NOT IN ('accepted', 'dispatched', 'in_progress', 'completed', 'returned') OR promised_date IS NOT NULL)
      ) STRICT;
      CREATE INDEX cases_applicant ON cases (applicant_id, created_at);
      CREATE INDEX cases_created ON cases (created_at);
      CREATE INDEX cases_open_promise ON cases (promised_date) WHERE state IN ('accepted', 'dispatched', 'in_progress');
      CREATE INDEX cases_visit ON cases (visit_id);

      -- The materials as ticked at the counter, with the catalog's wording of that day.
      CREATE TABLE case_materials (
        case_id     TEXT NOT NULL REFERENCES cases (id),
        material_id TEXT NOT NULL,
        position    INTEGER NOT NULL,
        name_zh     TEXT NOT NULL,
        name_en     TEXT NOT NULL,
        requirement TEXT NOT NULL CHECK (requirement IN ('required', 'optional', 'tolerant')),
        form        TEXT NOT NULL,
        copies      INTEGER NOT NULL,
        note        TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('received', 'missing', 'tolerated')),
        CHECK (status <> 'tolerated' OR requirement = 'tolerant'),
        PRIMARY KEY (case_id, material_id)
      ) STRICT;

      CREATE TABLE case_events (
        id         INTEGER PRIMARY KEY,
        case_id    TEXT NOT NULL REFERENCES cases (id),
        action     TEXT NOT NULL,
        from_state TEXT,
        to_state   TEXT NOT NULL CHECK (to_state IN ('draft', 'accepted', 'notice_issued', 'rejected', 'dispatched', 'in_progress', 'completed', 'returned')),
        at         TEXT NOT NULL,
        actor      TEXT NOT NULL,
        note       TEXT
      ) STRICT;
      CREATE INDEX case_events_case ON case_events (case_id, id);

      -- Printed documents kept as PDF in <dataDir>/archive; the hash proves the file was not changed later.
      CREATE TABLE case_documents (
        case_id     TEXT NOT NULL REFERENCES cases (id),
        kind        TEXT NOT NULL CHECK (kind IN ('receipt', 'notice', 'rejection')),
        paper       TEXT NOT NULL CHECK (paper IN ('a4', '80mm')),
        file        TEXT NOT NULL,
        sha256      TEXT NOT NULL,
        bytes       INTEGER NOT NULL,
        archived_at TEXT NOT NULL,
        PRIMARY KEY (case_id, kind, paper)
      ) STRICT;

      CREATE TABLE ratings (
        id         TEXT PRIMARY KEY,
        visit_id   TEXT NOT NULL UNIQUE REFERENCES visits (id),
        level      INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
        reasons    TEXT NOT NULL,
        comment    TEXT NOT NULL,
        at         TEXT NOT NULL
      ) STRICT;
      CREATE INDEX ratings_at ON ratings (at);

      CREATE TABLE feedback (
        id            TEXT PRIMARY KEY,
        number        TEXT NOT NULL UNIQUE,
        kind          TEXT NOT NULL CHECK (kind IN ('complaint', 'suggestion', 'enquiry')),
        channel       TEXT NOT NULL CHECK (channel IN ('counter', 'phone', 'web', 'letter', 'rating')),
        category      TEXT NOT NULL CHECK (category IN ('attitude', 'efficiency', 'materials', 'fees', 'process', 'system', 'environment', 'other')),
        status        TEXT NOT NULL CHECK (status IN ('open', 'assigned', 'resolved', 'closed')),
        content       TEXT NOT NULL CHECK (length(content) > 0),
        applicant_id  TEXT REFERENCES applicants (id),
        contact_name  TEXT,
        contact_phone TEXT,
        case_id       TEXT REFERENCES cases (id),
        department_id TEXT REFERENCES departments (id),
        rating_id     TEXT UNIQUE REFERENCES ratings (id),
        assignee      TEXT,
        resolution    TEXT,
        due_date      TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        CHECK ((channel = 'rating') = (rating_id IS NOT NULL)),
        CHECK (status <> 'assigned' OR assignee IS NOT NULL)
      ) STRICT;
      CREATE INDEX feedback_created ON feedback (created_at);
      CREATE INDEX feedback_applicant ON feedback (applicant_id);
      CREATE INDEX feedback_open_due ON feedback (due_date) WHERE status IN ('open', 'assigned');

      CREATE TABLE feedback_events (
        id          INTEGER PRIMARY KEY,
        feedback_id TEXT NOT NULL REFERENCES feedback (id),
        action      TEXT NOT NULL,
        from_status TEXT,
        to_status   TEXT NOT NULL,
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        note        TEXT
      ) STRICT;
      CREATE INDEX feedback_events_item ON feedback_events (feedback_id, id);

      CREATE TABLE return_visits (
        id            TEXT PRIMARY KEY,
        feedback_id   TEXT NOT NULL REFERENCES feedback (id),
        scheduled_for TEXT NOT NULL,
        method        TEXT NOT NULL CHECK (method IN ('phone', 'sms', 'visit')),
        outcome       TEXT CHECK (outcome IN ('satisfied', 'basically_satisfied', 'dissatisfied', 'unreachable')),
        note          TEXT,
        done_at       TEXT,
        created_at    TEXT NOT NULL,
        CHECK ((outcome IS NULL) = (done_at IS NULL))
      ) STRICT;
      CREATE INDEX return_visits_feedback ON return_visits (feedback_id);
      CREATE INDEX return_visits_due ON return_visits (scheduled_for) WHERE done_at IS NULL;
    `);
  },
};
