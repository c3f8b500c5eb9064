import type { Migration } from '../migration';

/**
 * Central tells a device its public tracking page at enrolment (`trackingUrl`, `<CENTRAL_PUBLIC_URL>/track`):
 * the receipts' tracking link when the hall profile names none. A device enrolled before central told it
 * keeps to central's page at the address it syncs with, the only one it knows.
 */
export const enrolmentTrackingUrl: Migration = {
  version: 13,
  name: 'central tracking page of the enrolment',
  up(db) {
    db.exec(`
      ALTER TABLE sync_state ADD COLUMN tracking_url TEXT;
      UPDATE sync_state SET tracking_url = rtrim(central_url, '/') || '/track' WHERE central_url IS NOT NULL;
    `);
  },
};
