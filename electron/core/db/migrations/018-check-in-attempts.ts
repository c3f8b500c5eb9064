import type { Migration } from '../migration';

/**
 * The wrong appointment codes each kiosk sent in the last ten minutes. In memory, a restart of the hub or
 * the app started the count again, so whoever could cause a restart had unlimited tries; here the count
 * outlives the process. Rows older than the window are deleted as new tries come in.
 */
export const checkInAttempts: Migration = {
  version: 18,
  name: 'wrong appointment code attempts',
  up(db) {
    db.exec(`
      CREATE TABLE check_in_attempts (
        id INTEGER PRIMARY KEY,
        device_key TEXT NOT NULL,
        at_ms INTEGER NOT NULL
      );
      CREATE INDEX check_in_attempts_device ON check_in_attempts (device_key, at_ms);
      CREATE INDEX check_in_attempts_at ON check_in_attempts (at_ms);
    `);
  },
};
