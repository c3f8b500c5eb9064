import type { CentralMigration } from '../migrate';

/**
 * An administrator's acknowledgement of an audit alarm: who, when and what they found. The alarms stay
 * append-only evidence, so the acknowledgement is a row of its own, one per alarm (the second of two
 * administrators acknowledging at once is refused), and as append-only as the alarm.
 */
export const auditAlarmAcks: CentralMigration = {
  version: 16,
  name: 'audit alarm acknowledgements',
  sql: `
    CREATE TABLE audit_alarm_acks (
      alarm_id bigint PRIMARY KEY REFERENCES audit_alarms (id),
      staff_id text NOT NULL,
      login    text NOT NULL,
      note     text NOT NULL CHECK (length(note) BETWEEN 1 AND 500),
      acked_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TRIGGER audit_alarm_acks_append_only BEFORE UPDATE OR DELETE ON audit_alarm_acks
      FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
    CREATE TRIGGER audit_alarm_acks_no_truncate BEFORE TRUNCATE ON audit_alarm_acks
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
  `,
};
