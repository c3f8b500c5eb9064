import type { Migration } from '../migration';

export const hallNameEn: Migration = {
  version: 7,
  name: 'hall English name',
  up(db) {
    db.exec(`
      -- The English kiosk and display greet with it; empty means the hall has none and pages use the Chinese name.
      ALTER TABLE hall_profile ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
    `);
  },
};
