import type { Database } from 'better-sqlite3';
import type { HallStaffRole, Staff } from '@shared/identity/staff';

/** A staff account as the device keeps it, credentials included: never leaves the core as is. */
export interface StaffRecord {
  id: string;
  login: string;
  name: string;
  roles: HallStaffRole[];
  enabled: boolean;
  pinHash: string | null;
  passwordHash: string | null;
  totpSecret: string | null;
  source: 'central' | 'hall';
  failedAttempts: number;
  lockedUntil: string | null;
  lastTotpStep: number;
  updatedAt: string;
}

interface Row {
  id: string;
  login: string;
  name: string;
  roles: string;
  enabled: number;
  pin_hash: string;
  password_hash: string | null;
  totp_secret: string | null;
  source: 'central' | 'hall';
  failed_attempts: number;
  locked_until: string | null;
  last_totp_step: number;
  updated_at: string;
}

// The table predates accounts and keeps pin_hash NOT NULL: '' stands for "no PIN".
const NO_PIN = '';

const toRecord = (r: Row): StaffRecord => ({
  id: r.id,
  login: r.login,
  name: r.name,
  roles: JSON.parse(r.roles) as HallStaffRole[],
  enabled: r.enabled === 1,
  pinHash: r.pin_hash === NO_PIN ? null : r.pin_hash,
  passwordHash: r.password_hash,
  totpSecret: r.totp_secret,
  source: r.source,
  failedAttempts: r.failed_attempts,
  lockedUntil: r.locked_until,
  lastTotpStep: r.last_totp_step,
  updatedAt: r.updated_at,
});

/** What a page may see of an account. */
export const publicStaff = (s: StaffRecord): Staff => ({
  id: s.id,
  login: s.login,
  name: s.name,
  roles: s.roles,
  enabled: s.enabled,
  hasPin: s.pinHash !== null,
  hasPassword: s.passwordHash !== null,
  hasTotp: s.totpSecret !== null,
  source: s.source,
  updatedAt: s.updatedAt,
});

/** The hall's staff accounts: SQL only. */
export function createStaffStore(db: Database) {
  const s = {
    byId: db.prepare<[string], Row>('SELECT * FROM staff WHERE id = ?'),
    byLogin: db.prepare<[string], Row>('SELECT * FROM staff WHERE login = ?'),
    list: db.prepare<[], Row>('SELECT * FROM staff ORDER BY login'),
    upsert: db.prepare(`
      INSERT INTO staff (id, login, name, roles, enabled, pin_hash, password_hash, totp_secret, source, updated_at)
      VALUES (@id, @login, @name, @roles, @enabled, @pinHash, @passwordHash, @totpSecret, @source, @updatedAt)
      ON CONFLICT (id) DO UPDATE SET login = excluded.login, name = excluded.name, roles = excluded.roles,
        enabled = excluded.enabled, pin_hash = excluded.pin_hash, password_hash = excluded.password_hash,
        totp_secret = excluded.totp_secret, source = excluded.source, updated_at = excluded.updated_at`),
    // A pulled account may reuse the login of an account this hall made offline for the same person.
    freeLogin: db.prepare<[string, string]>(
      "UPDATE staff SET login = login || '~' || substr(id, 1, 8), enabled = 0 WHERE login = ? AND id <> ?",
    ),
    failure: db.prepare('UPDATE staff SET failed_attempts = ?, locked_until = ? WHERE id = ?'),
    success: db.prepare('UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = ?'),
    totpStep: db.prepare('UPDATE staff SET last_totp_step = ? WHERE id = ?'),
    disableAll: db.prepare('UPDATE staff SET enabled = 0'),
    anyAdmin: db.prepare<[], { n: number }>(
      `SELECT count(*) AS n FROM staff WHERE enabled = 1 AND EXISTS (SELECT 1 FROM json_each(roles) WHERE value = 'hall_admin')`,
    ),
  };
  return {
    transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
    byId: (id: string) => {
      const r = s.byId.get(id);
      return r && toRecord(r);
    },
    byLogin: (login: string) => {
      const r = s.byLogin.get(login);
      return r && toRecord(r);
    },
    list: (): StaffRecord[] => s.list.all().map(toRecord),
    upsert(r: Omit<StaffRecord, 'failedAttempts' | 'lockedUntil' | 'lastTotpStep'>) {
      s.freeLogin.run(r.login, r.id);
      s.upsert.run({
        ...r,
        roles: JSON.stringify(r.roles),
        enabled: r.enabled ? 1 : 0,
        pinHash: r.pinHash ?? NO_PIN,
      });
    },
    recordFailure: (id: string, failedAttempts: number, lockedUntil: string | null) =>
      void s.failure.run(failedAttempts, lockedUntil, id),
    recordSuccess: (id: string) => void s.success.run(id),
    useTotpStep: (id: string, step: number) => void s.totpStep.run(step, id),
    hasHallAdmin: (): boolean => s.anyAdmin.get()!.n > 0,
    /** Nobody of the old hall may sign in after a move to another hall; the rows stay for history. */
    disableAll: () => void s.disableAll.run(),
  };
}
export type StaffStore = ReturnType<typeof createStaffStore>;
