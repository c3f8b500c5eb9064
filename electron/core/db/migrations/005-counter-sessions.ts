import type { Migration } from '../migration';

export const counterSessions: Migration = {
  version: 5,
  name: 'counter sessions',
  up(db) {
    db.exec(`
      -- Who was signed in at which counter, and when: a clerk's time on duty for the dashboard.
      CREATE TABLE counter_sessions (
        id            INTEGER PRIMARY KEY,
        counter_id    TEXT NOT NULL,
        clerk_id      TEXT NOT NULL,
        signed_in_at  TEXT NOT NULL,
        signed_out_at TEXT
      ) STRICT;
      CREATE INDEX counter_sessions_open ON counter_sessions (counter_id) WHERE signed_out_at IS NULL;
      CREATE INDEX counter_sessions_in ON counter_sessions (signed_in_at);
    `);
  },
};
