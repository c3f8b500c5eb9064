import type { CentralMigration } from '../migrate';

export const intake: CentralMigration = {
  version: 2,
  name: 'intake: applicant details, device applicant ids, visits, cases, feedback, ratings',
  sql: `
    -- The latest details of a profile; details_at is the device time they were written at, so an older
    -- write arriving late (a device that was offline) never overwrites a newer name or phone.
    ALTER TABLE applicant_profiles
      ADD COLUMN id_type      text,
      ADD COLUMN id_masked    text,
      ADD COLUMN phone        text,
      ADD COLUMN segment      text,
      ADD COLUMN org_type     text,
      ADD COLUMN contact_name text,
      ADD COLUMN details_at   timestamptz;

    -- Devices name applicants by their own record id; this maps each one to the profile of its ID hash.
    CREATE TABLE applicant_ids (
      applicant_id uuid PRIMARY KEY,
      profile_id   uuid NOT NULL REFERENCES applicant_profiles (id),
      hall_id      uuid NOT NULL REFERENCES halls (id)
    );

    -- What a history line shows without another lookup (case number, rating level, feedback kind).
    ALTER TABLE applicant_history ADD COLUMN summary jsonb NOT NULL DEFAULT '{}';

    CREATE TABLE visits (
      visit_id    uuid PRIMARY KEY,
      hall_id     uuid NOT NULL REFERENCES halls (id),
      profile_id  uuid REFERENCES applicant_profiles (id),
      counter_id  text NOT NULL,
      clerk_name  text NOT NULL,
      ticket_number text,
      hall_day    date NOT NULL,
      started_at  timestamptz NOT NULL
    );

    ALTER TABLE case_status
      ADD COLUMN case_number   text,
      ADD COLUMN matter_code   text,
      ADD COLUMN department_id text,
      ADD COLUMN visit_id      uuid,
      ADD COLUMN promised_date date,
      ADD COLUMN created_at    timestamptz;

    CREATE TABLE feedback (
      feedback_id  uuid PRIMARY KEY,
      hall_id      uuid NOT NULL REFERENCES halls (id),
      profile_id   uuid REFERENCES applicant_profiles (id),
      number       text NOT NULL,
      kind         text NOT NULL,
      category     text NOT NULL,
      status       text NOT NULL,
      case_id      text,
      rating_id    uuid,
      due_date     date NOT NULL,
      created_at   timestamptz NOT NULL,
      updated_at   timestamptz NOT NULL
    );

    CREATE TABLE return_visits (
      return_visit_id uuid PRIMARY KEY,
      feedback_id     uuid NOT NULL REFERENCES feedback (feedback_id),
      scheduled_for   date,
      method          text,
      outcome         text,
      note            text,
      done_at         timestamptz
    );

    -- Every rating; the bad ones (level 1–2) are what a supervisor follows up, hence the partial index.
    CREATE TABLE ratings (
      rating_id  uuid PRIMARY KEY,
      hall_id    uuid NOT NULL REFERENCES halls (id),
      visit_id   uuid NOT NULL,
      profile_id uuid REFERENCES applicant_profiles (id),
      level      integer NOT NULL,
      reasons    jsonb NOT NULL,
      comment    text NOT NULL,
      at         timestamptz NOT NULL
    );
    CREATE INDEX ratings_bad ON ratings (hall_id, at) WHERE level <= 2;
  `,
};
