import type { Migration } from '../migration';

export const leaderStore: Migration = {
  version: 1,
  name: 'leader secure store',
  up(db) {
    db.exec(`
      -- A leader and the two wrappings of their data key: by a scrypt key of their password, and by the
      -- device secret. Name and TOTP secret are sealed in \`profile\` under the data key.
      CREATE TABLE leader_account (
        id                  TEXT PRIMARY KEY,
        login               TEXT NOT NULL UNIQUE,
        profile             BLOB NOT NULL,
        kdf_salt            BLOB NOT NULL,
        kdf_params          TEXT NOT NULL,
        dek_by_password     BLOB NOT NULL,
        dek_by_device       BLOB NOT NULL,
        last_totp_step      INTEGER NOT NULL DEFAULT 0,
        failed_logins       INTEGER NOT NULL DEFAULT 0,
        locked_until_ms     INTEGER NOT NULL DEFAULT 0,
        created_at          TEXT NOT NULL,
        password_changed_at TEXT NOT NULL
      ) STRICT;

      -- Schedules, briefings and file descriptions: everything but the id and kind is in \`body\`.
      CREATE TABLE leader_record (
        id         TEXT PRIMARY KEY,
        leader_id  TEXT NOT NULL REFERENCES leader_account (id),
        kind       TEXT NOT NULL CHECK (kind IN ('schedule', 'briefing', 'file')),
        body       BLOB NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX leader_record_by_kind ON leader_record (leader_id, kind);

      -- File bytes apart from their description, so lists never decrypt megabytes.
      CREATE TABLE leader_file_blob (
        record_id TEXT PRIMARY KEY REFERENCES leader_record (id) ON DELETE CASCADE,
        data      BLOB NOT NULL
      ) STRICT;

      -- Read, comment (批示), approve; the comment text is sealed in \`body\`. \`forwarded\`: copied to the outbox.
      CREATE TABLE leader_action (
        id        TEXT PRIMARY KEY,
        leader_id TEXT NOT NULL REFERENCES leader_account (id),
        target_id TEXT NOT NULL,
        action    TEXT NOT NULL CHECK (action IN ('read', 'comment', 'approve')),
        body      BLOB NOT NULL,
        at        TEXT NOT NULL,
        forwarded INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX leader_action_by_target ON leader_action (leader_id, target_id);
      CREATE INDEX leader_action_unforwarded ON leader_action (forwarded) WHERE forwarded = 0;

      -- Hash-chained audit log: no content text, so it stays verifiable without any key.
      CREATE TABLE leader_audit (
        seq       INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        leader_id TEXT,
        origin    TEXT NOT NULL,
        event     TEXT NOT NULL,
        target_id TEXT,
        detail    TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL,
        forwarded INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX leader_audit_unforwarded ON leader_audit (forwarded) WHERE forwarded = 0;
    `);
  },
};
