import type { CentralMigration } from '../migrate';

export const queueHistory: CentralMigration = {
  version: 5,
  name: 'archived hall days of the queue: tickets, sign-ins, queues and counters',
  sql: `
    -- Days and instants are ISO text compared byte by byte (COLLATE "C"), as on the hub.

    -- The queues and counters of each archived hall day, as the hub listed them that day.
    CREATE TABLE queue_archived_days (
      hall_id    uuid NOT NULL REFERENCES halls (id),
      hall_day   text COLLATE "C" NOT NULL,
      queues     jsonb NOT NULL,
      counters   jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (hall_id, hall_day)
    );

    -- One ticket of an archived day, with the instants (ISO text, as the hub wrote them) its statistics
    -- are made of; the finish names the clerk and the instant of the finish event.
    CREATE TABLE queue_archived_tickets (
      hall_id            uuid NOT NULL REFERENCES halls (id),
      ticket_id          uuid NOT NULL,
      hall_day           text COLLATE "C" NOT NULL,
      queue_id           text NOT NULL,
      parent_id          uuid,
      state              text NOT NULL,
      counter_id         text,
      issued_at          text COLLATE "C" NOT NULL,
      first_called_at    text,
      service_started_at text,
      finished_at        text,
      finished_by        text,
      finished_by_name   text,
      finished_event_at  text,
      device_id          uuid NOT NULL REFERENCES devices (id),
      PRIMARY KEY (hall_id, ticket_id)
    );
    CREATE INDEX queue_archived_tickets_day ON queue_archived_tickets (hall_id, hall_day);

    -- A clerk's sign-in at a counter; the same sign-in reported with two days (it spanned midnight, or was
    -- still open) is one row, closed once any report saw it closed.
    CREATE TABLE queue_archived_sessions (
      hall_id       uuid NOT NULL REFERENCES halls (id),
      counter_id    text NOT NULL,
      clerk_id      text NOT NULL,
      signed_in_at  text COLLATE "C" NOT NULL,
      signed_out_at text COLLATE "C",
      clerk_name    text NOT NULL,
      PRIMARY KEY (hall_id, counter_id, clerk_id, signed_in_at)
    );
    CREATE INDEX queue_archived_sessions_in ON queue_archived_sessions (hall_id, signed_in_at);
  `,
};
