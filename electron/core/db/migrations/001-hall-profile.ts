import type { Migration } from '../migration';

export const hallProfile: Migration = {
  version: 1,
  name: 'hall profile',
  up(db) {
    db.exec(`
      CREATE TABLE hall_profile (
        id            INTEGER PRIMARY KEY CHECK (id = 1),
        name          TEXT NOT NULL,
        address       TEXT NOT NULL DEFAULT '',
        enquiry_phone TEXT NOT NULL DEFAULT '',
        tracking_url  TEXT NOT NULL DEFAULT '',
        updated_at    TEXT
      ) STRICT;
    `);
  },
};
