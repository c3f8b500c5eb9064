import type { Migration } from '../migration';

export const hallQueue: Migration = {
  version: 2,
  name: 'hall queue',
  up(db) {
    db.exec(`
      CREATE TABLE queue_settings (
        id                        INTEGER PRIMARY KEY CHECK (id = 1),
        time_zone                 TEXT NOT NULL,
        reset_time                TEXT NOT NULL,
        no_show_after_calls       INTEGER NOT NULL,
        no_show_grace_seconds     INTEGER NOT NULL,
        priority_streak_limit     INTEGER NOT NULL,
        appointment_early_minutes INTEGER NOT NULL,
        appointment_late_minutes  INTEGER NOT NULL,
        current_hall_day          TEXT
      ) STRICT;

      CREATE TABLE queues (
        id                  TEXT PRIMARY KEY,
        prefix              TEXT NOT NULL UNIQUE,
        name_zh             TEXT NOT NULL,
        name_en             TEXT NOT NULL,
        group_zh            TEXT NOT NULL,
        group_en            TEXT NOT NULL,
        applicant_types     TEXT NOT NULL,
        daily_max           INTEGER NOT NULL,
        opens_at            TEXT NOT NULL,
        closes_at           TEXT NOT NULL,
        avg_service_seconds INTEGER NOT NULL,
        active              INTEGER NOT NULL,
        sort_order          INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE clerks (
        id       TEXT PRIMARY KEY,
        name     TEXT NOT NULL,
        pin_hash TEXT NOT NULL
      ) STRICT;

      CREATE TABLE counters (
        id                TEXT PRIMARY KEY,
        number            INTEGER NOT NULL UNIQUE,
        name              TEXT NOT NULL,
        queue_ids         TEXT NOT NULL,
        status            TEXT NOT NULL DEFAULT 'closed' CHECK (status IN ('closed', 'open', 'paused')),
        clerk_id          TEXT REFERENCES clerks (id),
        signed_in_origin  TEXT,
        current_ticket_id TEXT
      ) STRICT;

      -- The single allocator: one row per hall day and queue, bumped in the issuing transaction.
      CREATE TABLE queue_day_seq (
        hall_day TEXT NOT NULL,
        queue_id TEXT NOT NULL REFERENCES queues (id),
        last_seq INTEGER NOT NULL,
        PRIMARY KEY (hall_day, queue_id)
      ) STRICT;

      CREATE TABLE appointments (
        code         TEXT PRIMARY KEY,
        queue_id     TEXT NOT NULL REFERENCES queues (id),
        applicant_type TEXT NOT NULL,
        window_start TEXT NOT NULL,
        window_end   TEXT NOT NULL,
        ticket_id    TEXT
      ) STRICT;

      CREATE TABLE tickets (
        id                TEXT PRIMARY KEY,
        hall_day          TEXT NOT NULL,
        queue_id          TEXT NOT NULL REFERENCES queues (id),
        seq               INTEGER NOT NULL,
        number            TEXT NOT NULL,
        state             TEXT NOT NULL CHECK (state IN ('waiting', 'called', 'serving', 'done', 'no_show', 'transferred', 'cancelled')),
        priority          TEXT NOT NULL,
        applicant_type    TEXT NOT NULL,
        appointment_code  TEXT,
        -- Appointment window as epoch ms (0 for walk-ins), so ordering never meets a NULL.
        appt_start_ms     INTEGER NOT NULL DEFAULT 0,
        appt_end_ms       INTEGER NOT NULL DEFAULT 0,
        arrived_at        TEXT NOT NULL,
        arrived_ms        INTEGER NOT NULL,
        issued_at         TEXT NOT NULL,
        parent_id         TEXT REFERENCES tickets (id),
        target_counter_id TEXT,
        counter_id        TEXT,
        call_count        INTEGER NOT NULL DEFAULT 0,
        first_called_at   TEXT,
        last_called_at    TEXT,
        service_started_at TEXT,
        finished_at       TEXT,
        reactivated       INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE UNIQUE INDEX tickets_number_per_day ON tickets (hall_day, queue_id, seq) WHERE parent_id IS NULL;
      CREATE INDEX tickets_waiting ON tickets (state, queue_id);

      CREATE TABLE ticket_events (
        id         INTEGER PRIMARY KEY,
        ticket_id  TEXT NOT NULL,
        hall_day   TEXT NOT NULL,
        action     TEXT NOT NULL,
        from_state TEXT,
        to_state   TEXT NOT NULL,
        at         TEXT NOT NULL,
        counter_id TEXT,
        actor      TEXT NOT NULL,
        detail     TEXT
      ) STRICT;
      CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id);

      -- Where the day's tickets and events go at the daily reset: kept, never deleted.
      CREATE TABLE ticket_history AS SELECT * FROM tickets WHERE 0;
      CREATE TABLE ticket_event_history AS SELECT * FROM ticket_events WHERE 0;
      CREATE INDEX ticket_history_day ON ticket_history (hall_day);

      -- Idempotency: the first answer to each mutation id, returned again on a retry.
      CREATE TABLE command_log (
        mutation_id TEXT PRIMARY KEY,
        method      TEXT NOT NULL,
        result      TEXT NOT NULL,
        at          TEXT NOT NULL
      ) STRICT;
    `);
  },
};
