import type { CentralMigration } from '../migrate';

/**
 * The hall devices' audit rows are evidence like the admin trail: migration 6 refused UPDATE and DELETE
 * on device_audit but, unlike admin_audit, not TRUNCATE, which empties the table without a row trigger.
 */
export const deviceAuditNoTruncate: CentralMigration = {
  version: 8,
  name: 'device audit refuses TRUNCATE',
  sql: `
    CREATE TRIGGER device_audit_no_truncate BEFORE TRUNCATE ON device_audit
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
  `,
};
