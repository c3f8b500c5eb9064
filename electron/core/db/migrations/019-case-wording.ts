import type { Migration } from '../migration';

/**
 * The catalog's wording of a case's decision (受理 and 不予受理 texts, legal basis), kept with the case when it
 * is registered: a reprint must say what the applicant was given, even after the catalog was edited. Cases from
 * before this step have none and print the catalog's wording of the day, as they always did.
 */
export const caseWording: Migration = {
  version: 19,
  name: 'decision wording kept with each case',
  up(db) {
    db.exec(`ALTER TABLE cases ADD COLUMN wording TEXT`);
  },
};
