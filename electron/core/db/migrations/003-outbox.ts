import type { Migration } from '../migration';

export const outbox: Migration = {
  version: 3,
  name: 'sync outbox',
  up(db) {
    db.exec(`
      -- This device as a sync replica: its id (new after a restore) and the seq its next mutation gets.
      CREATE TABLE sync_replica (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        replica_id  TEXT NOT NULL,
        next_seq    INTEGER NOT NULL CHECK (next_seq >= 1),
        created_at  TEXT NOT NULL
      ) STRICT;

      -- Every local write that central must know, appended in the same transaction as the write itself.
      CREATE TABLE outbox (
        replica_id     TEXT NOT NULL,
        seq            INTEGER NOT NULL,
        mutation_id    TEXT NOT NULL UNIQUE,
        name           TEXT NOT NULL,
        version        INTEGER NOT NULL,
        args           TEXT NOT NULL,
        entity_id      TEXT,
        schema_version INTEGER NOT NULL,
        device_time    TEXT NOT NULL,
        status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'rejected')),
        result         TEXT,
        acked_at       TEXT,
        -- This device's write order across replicas (explicit: VACUUM may renumber a rowid).
        write_order    INTEGER NOT NULL UNIQUE,
        PRIMARY KEY (replica_id, seq)
      ) STRICT;
      CREATE INDEX outbox_pending ON outbox (status, replica_id, seq);
      CREATE INDEX outbox_write_order ON outbox (status, write_order);

      -- Where this device syncs and how far: its enrollment (the token itself is in the secret store),
      -- the pull cursor with the reference kinds it was taken for, and the outcome of the last attempts.
      CREATE TABLE sync_state (
        id              INTEGER PRIMARY KEY CHECK (id = 1),
        central_url     TEXT,
        device_id       TEXT,
        hall_id         TEXT,
        hall_code       TEXT,
        role            TEXT,
        -- The leader a leader device is enrolled for: pulled leader content goes to the account of this id.
        leader_id       TEXT,
        cursor          TEXT NOT NULL DEFAULT '',
        cursor_kinds    TEXT NOT NULL DEFAULT '',
        last_attempt_at TEXT,
        last_success_at TEXT,
        last_error      TEXT,
        last_error_at   TEXT
      ) STRICT;
      INSERT INTO sync_state (id) VALUES (1);

    `);
  },
};
