import type { CentralMigration } from '../migrate';

/**
 * Ratings only the citizen gives: a visit asked for a rating that got none in time is "not rated"; a
 * rated clerk's appeal (申诉) and a supervisor's decision. An upheld appeal keeps the rating on record and
 * takes it out of the figures (shared/intake/intake-stats.ts).
 */
export const ratingAppeals: CentralMigration = {
  version: 7,
  name: 'not rated visits and rating appeals',
  sql: `
    ALTER TABLE visits ADD COLUMN not_rated_at timestamptz;

    CREATE TABLE rating_appeals (
      appeal_id       uuid PRIMARY KEY,
      hall_id         uuid NOT NULL REFERENCES halls (id),
      rating_id       uuid NOT NULL,
      reason          text NOT NULL,
      filed_by        text NOT NULL,
      filed_at        timestamptz NOT NULL,
      status          text NOT NULL DEFAULT 'filed' CHECK (status IN ('filed', 'upheld', 'rejected')),
      decided_by      text,
      decision_reason text,
      decided_at      timestamptz
    );
    CREATE UNIQUE INDEX rating_appeals_rating ON rating_appeals (rating_id);
  `,
};
