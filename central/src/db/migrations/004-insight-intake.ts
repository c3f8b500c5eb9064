import type { CentralMigration } from '../migrate';

export const insightIntake: CentralMigration = {
  version: 4,
  name: 'insight intake: indexes for a hall dashboard of cases, feedback, return visits and ratings',
  sql: `
    -- The dashboard reads one hall's rows of a range of days (at most a month): without these, each
    -- read would scan every hall's history.
    CREATE INDEX case_status_hall_created ON case_status (hall_id, created_at);
    -- Overdue cases are read whatever the range: only the open ones, by promised date.
    CREATE INDEX case_status_hall_open_promised ON case_status (hall_id, promised_date)
      WHERE status IN ('accepted', 'dispatched', 'in_progress');
    CREATE INDEX feedback_hall_created ON feedback (hall_id, created_at);
    -- A bad rating's rectification follow-up, found from the rating.
    CREATE INDEX feedback_rating ON feedback (rating_id) WHERE rating_id IS NOT NULL;
    CREATE INDEX return_visits_scheduled ON return_visits (scheduled_for);
    CREATE INDEX ratings_hall_at ON ratings (hall_id, at);
  `,
};
