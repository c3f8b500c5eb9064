import type { Migration } from '../migration';

/** What a pre-accounts clerk id becomes as a login: lower case, other characters dashed, at least 2 long. */
export function loginOfClerkId(id: string): string {
  const base = id
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '-')
    .replace(/^[^a-z0-9]+/, '');
  return (base.length >= 2 ? base : `clerk-${base || 'x'}`).slice(0, 32);
}

export const staffAccounts: Migration = {
  version: 8,
  name: 'staff accounts, audit log, acting person on outbox rows',
  up(db) {
    db.exec(`
      -- Clerks become the hall's staff accounts; the rename keeps counters.clerk_id's reference.
      ALTER TABLE clerks RENAME TO staff;
      -- '' in pin_hash: no PIN (the column predates accounts and stays NOT NULL).
      ALTER TABLE staff ADD COLUMN login TEXT;
      ALTER TABLE staff ADD COLUMN roles TEXT NOT NULL DEFAULT '["clerk"]';
      ALTER TABLE staff ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE staff ADD COLUMN password_hash TEXT;
      ALTER TABLE staff ADD COLUMN totp_secret TEXT;
      -- central: pulled (central decides); hall: written here, waiting for central to take it.
      ALTER TABLE staff ADD COLUMN source TEXT NOT NULL DEFAULT 'hall' CHECK (source IN ('central', 'hall'));
      -- Kept on disk so a restart does not reset a lockout (an attacker could otherwise restart the kiosk app).
      ALTER TABLE staff ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE staff ADD COLUMN locked_until TEXT;
      -- The last TOTP step accepted: a code overheard at the desk cannot be used again.
      ALTER TABLE staff ADD COLUMN last_totp_step INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE staff ADD COLUMN updated_at TEXT NOT NULL DEFAULT '1970-01-01T00:00:00.000Z';

      CREATE TABLE audit_log (
        seq            INTEGER PRIMARY KEY,
        id             TEXT NOT NULL UNIQUE,
        at             TEXT NOT NULL,
        action         TEXT NOT NULL,
        actor_staff_id TEXT,
        actor_login    TEXT,
        origin         TEXT NOT NULL,
        target         TEXT,
        outcome        TEXT NOT NULL CHECK (outcome IN ('ok', 'refused')),
        detail         TEXT NOT NULL,
        prev_hash      TEXT NOT NULL,
        hash           TEXT NOT NULL
      ) STRICT;
      -- Append-only: a rewrite must go around SQLite itself, and then the hash chain (and central's copy) tells.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

      -- Who made the write an outbox row records; null: the device itself (a kiosk ticket, a daily reset).
      ALTER TABLE outbox ADD COLUMN actor_staff_id TEXT;
    `);
    // An id the contract cannot carry (central's old clerk route took any text) becomes the id central's
    // migration 006 gives the same person, so pulled rows and this row stay one account.
    db.pragma('defer_foreign_keys = ON');
    const ids = db
      .prepare<[], { id: string }>('SELECT id FROM staff')
      .all()
      .map((r) => r.id);
    const takenIds = new Set(ids);
    for (const id of ids) {
      if (/^[A-Za-z0-9_-]{1,40}$/.test(id)) continue;
      const base = id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) || 'clerk';
      let next = base;
      for (let n = 2; takenIds.has(next); n += 1) next = `${base.slice(0, 36)}_${n}`;
      takenIds.add(next);
      db.prepare('UPDATE staff SET id = ? WHERE id = ?').run(next, id);
      db.prepare('UPDATE counters SET clerk_id = ? WHERE clerk_id = ?').run(next, id);
      db.prepare('UPDATE counter_sessions SET clerk_id = ? WHERE clerk_id = ?').run(next, id);
    }
    const rows = db.prepare<[], { id: string; pin_hash: string }>('SELECT id, pin_hash FROM staff').all();
    const setLogin = db.prepare('UPDATE staff SET login = ?, enabled = ? WHERE id = ?');
    const taken = new Set<string>();
    for (const r of rows) {
      let login = loginOfClerkId(r.id);
      for (let n = 2; taken.has(login); n += 1) login = `${loginOfClerkId(r.id).slice(0, 28)}-${n}`;
      taken.add(login);
      // A clerk removed at central had the 'disabled' PIN hash: now an account switched off.
      setLogin.run(login, r.pin_hash === 'disabled' ? 0 : 1, r.id);
    }
    db.exec('CREATE UNIQUE INDEX staff_login ON staff (login)');
  },
};
