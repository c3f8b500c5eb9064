import type { CentralMigration } from '../migrate';

export const leader: CentralMigration = {
  version: 3,
  name: 'leader actions and audit rows from leader devices',
  sql: `
    -- Read / comment (批示) / approve, as the leader's device pushed them; the id is the action's own.
    CREATE TABLE leader_actions (
      id         uuid PRIMARY KEY,
      leader_id  text NOT NULL,
      hall_id    uuid NOT NULL REFERENCES halls (id),
      device_id  uuid NOT NULL REFERENCES devices (id),
      target_id  uuid NOT NULL,
      action     text NOT NULL,
      comment    text,
      at         text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX leader_actions_by_leader ON leader_actions (leader_id, at);

    -- Each leader device's hash-chained audit log, row for row as hashed there (at as text, detail as
    -- the device wrote it), so central can recompute the chain per device.
    CREATE TABLE leader_audit (
      device_id  uuid NOT NULL REFERENCES devices (id),
      seq        integer NOT NULL,
      at         text NOT NULL,
      leader_id  text,
      origin     text NOT NULL,
      event      text NOT NULL,
      target_id  text,
      detail     jsonb NOT NULL,
      prev_hash  text NOT NULL,
      hash       text NOT NULL,
      PRIMARY KEY (device_id, seq)
    );
  `,
};
