import type { CentralMigration } from '../migrate';

/**
 * The head of each device audit chain (staff and leader) as the device last pushed it, so the next head
 * can be checked to extend it; and the alarms raised when one did not (a chain cut short or rewritten on
 * the device). The alarms are evidence like the audit rows: append-only. A keyed leader audit row also
 * carries its plain content hash, so central can still tell a row changed in its own copy.
 */
export const auditAnchors: CentralMigration = {
  version: 12,
  name: 'audit chain anchors and alarms',
  sql: `
    ALTER TABLE leader_audit ADD COLUMN content_hash text;
    CREATE TABLE audit_anchors (
      device_id   uuid NOT NULL REFERENCES devices (id),
      chain       text NOT NULL CHECK (chain IN ('staff', 'leader')),
      seq         integer NOT NULL,
      hash        text NOT NULL,
      keyed_from  integer NOT NULL,
      anchored_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (device_id, chain)
    );
    CREATE TABLE audit_alarms (
      id            bigserial PRIMARY KEY,
      hall_id       uuid NOT NULL REFERENCES halls (id),
      device_id     uuid NOT NULL REFERENCES devices (id),
      chain         text NOT NULL CHECK (chain IN ('staff', 'leader')),
      kind          text NOT NULL CHECK (kind IN ('TRUNCATED', 'REWRITTEN', 'REKEYED')),
      reason        text NOT NULL,
      head_seq      integer NOT NULL,
      head_hash     text NOT NULL,
      anchored_seq  integer,
      anchored_hash text,
      raised_at     timestamptz NOT NULL DEFAULT now(),
      -- The same finding pushed again (each push carries the head) is one alarm.
      UNIQUE (device_id, chain, kind, head_seq, head_hash)
    );
    CREATE INDEX audit_alarms_hall ON audit_alarms (hall_id, id);
    CREATE TRIGGER audit_alarms_append_only BEFORE UPDATE OR DELETE ON audit_alarms
      FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
    CREATE TRIGGER audit_alarms_no_truncate BEFORE TRUNCATE ON audit_alarms
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
  `,
};
