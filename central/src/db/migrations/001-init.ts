import type { CentralMigration } from '../migrate';

export const init: CentralMigration = {
  version: 1,
  name: 'halls, devices, mutation log, reference rows, applicant profiles',
  sql: `
    -- Which history of reference versions this database holds: a new one makes every device reset its pull.
    CREATE TABLE central_instance (
      id          integer PRIMARY KEY CHECK (id = 1),
      instance_id uuid NOT NULL DEFAULT gen_random_uuid()
    );
    INSERT INTO central_instance (id) VALUES (1);

    CREATE TABLE halls (
      id         uuid PRIMARY KEY,
      code       text NOT NULL UNIQUE,
      name       text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    -- One-time enrollment codes: only their hash is kept; used_at is set in the enrolling transaction.
    CREATE TABLE enrollment_codes (
      code_sha256 text PRIMARY KEY,
      hall_id     uuid NOT NULL REFERENCES halls (id),
      role        text NOT NULL,
      leader_id   text,
      expires_at  timestamptz NOT NULL,
      used_at     timestamptz,
      device_id   uuid
    );

    CREATE TABLE devices (
      id           uuid PRIMARY KEY,
      hall_id      uuid NOT NULL REFERENCES halls (id),
      role         text NOT NULL,
      leader_id    text,
      name         text NOT NULL,
      token_sha256 text NOT NULL UNIQUE,
      enrolled_at  timestamptz NOT NULL DEFAULT now(),
      revoked_at   timestamptz
    );

    -- A replica is one opening of a device database (device_id: the device that first pushed it); it
    -- stays in its hall, and its seq is gapless and checked under this row's lock.
    CREATE TABLE replicas (
      replica_id uuid PRIMARY KEY,
      device_id  uuid NOT NULL REFERENCES devices (id),
      hall_id    uuid NOT NULL REFERENCES halls (id),
      last_seq   bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    -- Every pushed mutation, applied or rejected, kept forever: the dedup record of devices offline for days.
    CREATE TABLE mutations (
      replica_id     uuid NOT NULL REFERENCES replicas (replica_id),
      seq            bigint NOT NULL,
      mutation_id    uuid UNIQUE,
      hall_id        uuid NOT NULL REFERENCES halls (id),
      device_id      uuid NOT NULL REFERENCES devices (id),
      name           text NOT NULL,
      version        integer NOT NULL,
      args           jsonb NOT NULL,
      entity_id      text,
      schema_version integer NOT NULL,
      device_time    timestamptz NOT NULL,
      status         text NOT NULL CHECK (status IN ('applied', 'rejected')),
      result         jsonb NOT NULL,
      received_order bigserial NOT NULL,
      received_at    timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (replica_id, seq)
    );
    CREATE INDEX mutations_hall ON mutations (hall_id, received_order);

    -- The reference version clock: writers bump it under its row lock, so versions commit in order
    -- and a pull reading "version > cursor" can never pass over a row that commits later.
    CREATE TABLE ref_clock (
      id      integer PRIMARY KEY CHECK (id = 1),
      version bigint NOT NULL
    );
    INSERT INTO ref_clock (id, version) VALUES (1, 0);

    CREATE TABLE ref_rows (
      kind      text NOT NULL,
      id        text NOT NULL,
      hall_id   uuid REFERENCES halls (id),
      hall_key  text GENERATED ALWAYS AS (coalesce(hall_id::text, '*')) STORED,
      leader_id text,
      version   bigint NOT NULL UNIQUE,
      deleted   boolean NOT NULL DEFAULT false,
      data      jsonb NOT NULL,
      PRIMARY KEY (kind, hall_key, id)
    );

    -- The cross-hall applicant record, one per verified ID (its hash: central never sees the number).
    CREATE TABLE applicant_profiles (
      id          uuid PRIMARY KEY,
      id_hash     text NOT NULL UNIQUE,
      kind        text NOT NULL,
      name        text NOT NULL,
      first_seen  timestamptz NOT NULL,
      last_seen   timestamptz NOT NULL
    );

    -- What happened to each profile, in which hall: visits, cases, complaints, ratings.
    CREATE TABLE applicant_history (
      profile_id  uuid NOT NULL REFERENCES applicant_profiles (id),
      mutation_id uuid NOT NULL,
      hall_id     uuid NOT NULL REFERENCES halls (id),
      what        text NOT NULL,
      entity_id   text,
      at          timestamptz NOT NULL,
      PRIMARY KEY (profile_id, mutation_id)
    );

    CREATE TABLE case_status (
      case_id    text PRIMARY KEY,
      hall_id    uuid NOT NULL REFERENCES halls (id),
      profile_id uuid REFERENCES applicant_profiles (id),
      status     text NOT NULL,
      updated_at timestamptz NOT NULL
    );
  `,
};
