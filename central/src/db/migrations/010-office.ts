import type { CentralMigration } from '../migrate';

/**
 * The leader's office at the console: its record of each item it sent a leader (schedule, briefing, file).
 * What the devices pull stays in ref_rows; this keeps what the console lists without reading a file's
 * bytes back out of its row, and what a cancelled or withdrawn item was (its row is a tombstone).
 */
export const office: CentralMigration = {
  version: 10,
  name: "leader's office: the console's record of leader content",
  sql: `
    CREATE TABLE office_items (
      id          uuid PRIMARY KEY,
      kind        text NOT NULL CHECK (kind IN ('leader.schedule', 'leader.briefing', 'leader.file')),
      staff_id    text NOT NULL REFERENCES staff (id),
      leader_id   uuid NOT NULL,
      -- The halls whose rows carry the item: a change or a cancellation goes to each.
      hall_ids    uuid[] NOT NULL,
      -- The content as sent, without a file's bytes (those are in the item's ref_rows row only).
      content     jsonb NOT NULL,
      starts_at   timestamptz,
      ends_at     timestamptz,
      file_size   integer,
      version     integer NOT NULL DEFAULT 1,
      cancelled   boolean NOT NULL DEFAULT false,
      created_by  text NOT NULL REFERENCES staff (id),
      created_at  timestamptz NOT NULL DEFAULT now(),
      updated_by  text NOT NULL REFERENCES staff (id),
      updated_at  timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX office_items_schedule ON office_items (staff_id, starts_at) WHERE kind = 'leader.schedule';
    CREATE INDEX office_items_by_staff ON office_items (staff_id, kind, created_at);
  `,
};
