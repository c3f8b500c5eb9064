import type { Migration } from '../migration';

/**
 * What central's catalog says of a matter beyond its checklist: its 设定依据 and the wording its receipt and
 * its 不予受理 notice print. Matters kept before have none ('') until central sends them again.
 */
export const matterWording: Migration = {
  version: 14,
  name: 'matter legal basis and decision wording',
  up(db) {
    db.exec(`
      ALTER TABLE matters ADD COLUMN legal_basis TEXT NOT NULL DEFAULT '';
      ALTER TABLE matters ADD COLUMN acceptance_text TEXT NOT NULL DEFAULT '';
      ALTER TABLE matters ADD COLUMN rejection_text TEXT NOT NULL DEFAULT '';
    `);
  },
};
