import type { CentralMigration } from '../migrate';

/**
 * Casework at central: departments move cases (with an optimistic-lock version, the decision, pickup and
 * 补正 details), supervisors chase feedback; both keep a history. Department handlers are tied to their
 * departments. The query code on each receipt is kept only as its hash.
 */
export const casework: CentralMigration = {
  version: 9,
  name: 'casework: case details, versions and history; feedback handling; department handlers',
  sql: `
    -- A department handler works the cases of these departments (catalog department ids), in every hall.
    ALTER TABLE staff ADD COLUMN department_ids text[] NOT NULL DEFAULT '{}';

    ALTER TABLE case_status
      ADD COLUMN version            integer NOT NULL DEFAULT 1,
      ADD COLUMN query_code_sha256  text,
      ADD COLUMN accepted_at        timestamptz,
      ADD COLUMN legal_date         date,
      ADD COLUMN fee_fen            integer,
      ADD COLUMN counter_number     integer,
      ADD COLUMN clerk_name         text,
      ADD COLUMN materials          jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN tolerance_due_date date,
      -- 补正: what was asked for, and since when the clock is stopped (null: it runs).
      ADD COLUMN missing            jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN paused_since       date,
      ADD COLUMN supplement_received_at timestamptz,
      ADD COLUMN decision           jsonb,
      ADD COLUMN pickup             jsonb,
      ADD COLUMN status_note        text;
    CREATE INDEX case_status_department ON case_status (department_id, status, promised_date);
    CREATE INDEX case_status_number ON case_status (case_number);

    -- Every step of a case: the counter's (from case.create), the department's and central's own.
    CREATE TABLE case_events (
      id             bigserial PRIMARY KEY,
      case_id        text NOT NULL REFERENCES case_status (case_id),
      action         text NOT NULL,
      from_status    text,
      to_status      text NOT NULL,
      at             timestamptz NOT NULL,
      actor_kind     text NOT NULL CHECK (actor_kind IN ('hall', 'department', 'supervisor', 'system')),
      actor_staff_id text,
      actor_name     text,
      note           text
    );
    CREATE INDEX case_events_case ON case_events (case_id, id);

    ALTER TABLE feedback
      ADD COLUMN version        integer NOT NULL DEFAULT 1,
      ADD COLUMN channel        text,
      ADD COLUMN content        text NOT NULL DEFAULT '',
      ADD COLUMN contact_masked text,
      ADD COLUMN phone_masked   text,
      ADD COLUMN department_id  text,
      ADD COLUMN answer         text,
      ADD COLUMN answered_at    timestamptz,
      ADD COLUMN answered_by    text,
      ADD COLUMN closed_at      timestamptz;
    CREATE INDEX feedback_hall_status ON feedback (hall_id, status, due_date);
    CREATE INDEX feedback_department ON feedback (department_id, status, due_date);

    CREATE TABLE feedback_events (
      id             bigserial PRIMARY KEY,
      feedback_id    uuid NOT NULL REFERENCES feedback (feedback_id),
      action         text NOT NULL,
      from_status    text,
      to_status      text NOT NULL,
      at             timestamptz NOT NULL,
      actor_staff_id text,
      actor_name     text,
      note           text
    );
    CREATE INDEX feedback_events_feedback ON feedback_events (feedback_id, id);

    -- Who made a return visit at the console (a hall device's visits name no one here).
    ALTER TABLE return_visits ADD COLUMN by_name text;
  `,
};
