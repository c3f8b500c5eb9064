import type { CentralMigration } from '../migrate';
import { migrateClerksToStaff } from '../../identity/clerk-migration';

export const identity: CentralMigration = {
  version: 6,
  name: 'staff accounts, admin sessions, admin and device audit, the acting person of each mutation',
  sql: `
    -- A person: hall staff work in one or more halls; central staff (department, leader's office,
    -- central admin) in none. Credentials are scrypt strings a device can verify itself.
    CREATE TABLE staff (
      id              text PRIMARY KEY,
      login           text NOT NULL UNIQUE,
      name            text NOT NULL,
      roles           text[] NOT NULL,
      hall_ids        uuid[] NOT NULL DEFAULT '{}',
      enabled         boolean NOT NULL DEFAULT true,
      password_hash   text,
      pin_hash        text,
      totp_secret     text,
      -- The newest TOTP step accepted: a code seen once (overheard, replayed) never signs in again.
      totp_last_step  bigint NOT NULL DEFAULT 0,
      failed_sign_ins integer NOT NULL DEFAULT 0,
      locked_until    timestamptz,
      -- A one-time setup code (its hash) that lets a new or reset administrator choose a password.
      setup_code_sha256 text,
      setup_expires_at  timestamptz,
      source          text NOT NULL CHECK (source IN ('central', 'hall')),
      created_at      timestamptz NOT NULL DEFAULT now(),
      updated_at      timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX staff_halls ON staff USING gin (hall_ids);

    -- Admin API sessions: only the token's hash is kept; idle and absolute expiry are checked on use.
    CREATE TABLE admin_sessions (
      token_sha256 text PRIMARY KEY,
      staff_id     text NOT NULL REFERENCES staff (id),
      created_at   timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at   timestamptz NOT NULL,
      ended_at     timestamptz
    );
    CREATE INDEX admin_sessions_staff ON admin_sessions (staff_id);

    -- Who did what through the admin API, written in the transaction of the write itself.
    CREATE TABLE admin_audit (
      id           bigserial PRIMARY KEY,
      at           timestamptz NOT NULL DEFAULT now(),
      staff_id     text,
      login        text,
      action       text NOT NULL,
      method       text,
      path         text,
      entity       text,
      hall_id      uuid,
      before       jsonb,
      after        jsonb,
      outcome      text NOT NULL CHECK (outcome IN ('ok', 'refused'))
    );
    CREATE INDEX admin_audit_at ON admin_audit (at);
    CREATE INDEX admin_audit_hall ON admin_audit (hall_id, at);

    -- Hall devices' audit logs, row for row; chain_ok says whether the row follows the device's
    -- previous one (seq and prev_hash), so a cut-out row shows without knowing the device's hash input.
    CREATE TABLE device_audit (
      audit_id       uuid PRIMARY KEY,
      hall_id        uuid NOT NULL REFERENCES halls (id),
      device_id      uuid NOT NULL REFERENCES devices (id),
      seq            integer NOT NULL,
      hash           text NOT NULL,
      prev_hash      text NOT NULL,
      at             timestamptz NOT NULL,
      action         text NOT NULL,
      actor_staff_id text,
      actor_login    text,
      origin         text NOT NULL,
      target         text,
      outcome        text NOT NULL,
      detail         jsonb NOT NULL,
      chain_ok       boolean NOT NULL,
      received_at    timestamptz NOT NULL DEFAULT now(),
      UNIQUE (device_id, seq)
    );
    CREATE INDEX device_audit_hall ON device_audit (hall_id, at);

    -- Audit rows are evidence: nobody edits or removes them, whatever route or console asks.
    CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER admin_audit_append_only BEFORE UPDATE OR DELETE ON admin_audit
      FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
    CREATE TRIGGER admin_audit_no_truncate BEFORE TRUNCATE ON admin_audit
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
    CREATE TRIGGER device_audit_append_only BEFORE UPDATE OR DELETE ON device_audit
      FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();

    ALTER TABLE mutations ADD COLUMN actor_staff_id text;
  `,
  after: migrateClerksToStaff,
};
