import type { Migration } from '../migration';

/**
 * The security zone central put this device in at enrolment: with its role, it says which reference kinds
 * the device asks central for. A device enrolled before zones takes its role's zone, as central did for it.
 */
export const enrolmentZone: Migration = {
  version: 15,
  name: 'security zone of the enrolment',
  up(db) {
    db.exec(`
      ALTER TABLE sync_state ADD COLUMN zone TEXT CHECK (zone IN ('public', 'government', 'core'));
      UPDATE sync_state SET zone = CASE role WHEN 'kiosk' THEN 'public' WHEN 'display' THEN 'public'
                                             WHEN 'leader' THEN 'core' ELSE 'government' END
        WHERE role IS NOT NULL;
    `);
  },
};
