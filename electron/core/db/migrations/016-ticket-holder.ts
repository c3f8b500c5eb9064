import type { Migration } from '../migration';

/**
 * The applicant a ticket or appointment is for, when they identified with their ID card (or the
 * appointment was booked with their ID): the keyed lookup hash of the ID number (intake/id-hash), never
 * the number. Kept in the history too, whose columns must stay the tickets' for the daily archive.
 */
export const ticketHolder: Migration = {
  version: 16,
  name: 'ticket and appointment holder hash',
  up(db) {
    db.exec(`
      ALTER TABLE tickets ADD COLUMN holder_hash TEXT;
      ALTER TABLE ticket_history ADD COLUMN holder_hash TEXT;
      ALTER TABLE appointments ADD COLUMN holder_hash TEXT;
      CREATE INDEX appointments_holder ON appointments (holder_hash) WHERE holder_hash IS NOT NULL;
    `);
  },
};
