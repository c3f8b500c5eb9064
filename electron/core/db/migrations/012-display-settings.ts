import type { Migration } from '../migration';

export const displaySettings: Migration = {
  version: 12,
  name: 'display settings',
  up(db) {
    db.exec(`
      -- How the hall screens look and speak: one row, on the device that owns the queue (the hub).
      -- No row yet: the defaults of shared/api (DEFAULT_DISPLAY_SETTINGS).
      CREATE TABLE display_settings (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        layout      TEXT NOT NULL CHECK (layout IN ('auto', 'single', 'grid')),
        voice       TEXT NOT NULL CHECK (voice IN ('system', 'clips')),
        voice_name  TEXT,
        speech_rate REAL NOT NULL CHECK (speech_rate BETWEEN 0.5 AND 1.5),
        updated_at  TEXT NOT NULL
      ) STRICT;
    `);
  },
};
