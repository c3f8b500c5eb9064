import type { Migration } from '../migration';

/**
 * Ratings only the citizen gives (DOMAIN.md, "Rating"): rating screens paired with a counter, one-time
 * rating tokens per visit, the rated clerk on the visit, "not rated" visits, and the clerk's appeals.
 * Secrets are never stored: a screen token and a rating token are kept as their SHA-256 only.
 */
export const ratingTokens: Migration = {
  version: 9,
  name: 'rating screens, one-time rating tokens, rated clerk, not rated visits, rating appeals',
  up(db) {
    db.exec(`
      -- A rating screen (second display or tablet) paired with one counter by a code the clerk showed there.
      CREATE TABLE rating_screens (
        id          TEXT PRIMARY KEY,
        token_hash  TEXT NOT NULL UNIQUE,
        counter_id  TEXT NOT NULL,
        paired_by   TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        revoked_at  TEXT
      ) STRICT;
      -- Pairing a new screen revokes the counter's previous one: at most one live screen per counter.
      CREATE UNIQUE INDEX rating_screens_live ON rating_screens (counter_id) WHERE revoked_at IS NULL;

      -- A visit's one-time rating token, issued to the counter's paired screen when the service ends.
      CREATE TABLE rating_tokens (
        token_hash  TEXT PRIMARY KEY,
        visit_id    TEXT NOT NULL REFERENCES visits (id),
        counter_id  TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        expires_at  TEXT NOT NULL,
        used_at     TEXT
      ) STRICT;
      CREATE INDEX rating_tokens_visit ON rating_tokens (visit_id);

      -- Who was rated: the person signed in at the counter when the visit was recorded (null before accounts).
      ALTER TABLE visits ADD COLUMN clerk_staff_id TEXT;
      -- Asked for a rating and none came in time: "not rated", never a default grade. (The rating_status
      -- CHECK of migration 4 cannot grow in place; this column is the visit's fourth status.)
      ALTER TABLE visits ADD COLUMN not_rated_at TEXT;

      CREATE TABLE rating_appeals (
        id              TEXT PRIMARY KEY,
        rating_id       TEXT NOT NULL UNIQUE REFERENCES ratings (id),
        reason          TEXT NOT NULL,
        filed_by        TEXT NOT NULL,
        filed_at        TEXT NOT NULL,
        status          TEXT NOT NULL DEFAULT 'filed' CHECK (status IN ('filed', 'upheld', 'rejected')),
        decided_by      TEXT,
        decision_reason TEXT,
        decided_at      TEXT,
        CHECK ((status = 'filed') = (decided_at IS NULL))
      ) STRICT;
    `);
  },
};
