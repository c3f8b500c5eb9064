import type { CentralMigration } from '../migrate';

/**
 * Scanned pages. The bytes are files in a content-addressed folder beside the database (see
 * docs/ARCHITECTURE.md, sync); these tables say which pages central holds whole and verified
 * (`attachment_blobs`, by SHA-256) and which pages each case names (`case_pages`, from the counter's
 * `case.pages.attach`), so a case naming a page central does not hold yet shows "pages arriving".
 */
export const attachments: CentralMigration = {
  version: 15,
  name: 'attachment pages of cases',
  sql: `
    CREATE TABLE attachment_blobs (
      sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      bytes      integer NOT NULL CHECK (bytes > 0),
      mime       text NOT NULL,
      device_id  uuid NOT NULL REFERENCES devices (id),
      stored_at  timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX attachment_blobs_device_day ON attachment_blobs (device_id, stored_at);
    CREATE TABLE case_pages (
      case_id     text NOT NULL REFERENCES case_status (case_id),
      material_id text NOT NULL,
      position    integer NOT NULL CHECK (position >= 0),
      sha256      text NOT NULL,
      bytes       integer NOT NULL,
      mime        text NOT NULL,
      PRIMARY KEY (case_id, material_id, position)
    );
    CREATE INDEX case_pages_sha256 ON case_pages (sha256);
  `,
};
