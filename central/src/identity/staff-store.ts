import type { Db, Tx } from '../db/pool';
import { sha256 } from '../store/hall-store';

type Q = Db | Tx;

export interface StaffRecord {
  id: string;
  login: string;
  name: string;
  roles: string[];
  hallIds: string[];
  /** The catalog departments whose cases a department handler works (empty for everyone else). */
  departmentIds: string[];
  enabled: boolean;
  passwordHash: string | null;
  pinHash: string | null;
  totpSecret: string | null;
  totpLastStep: number;
  failedSignIns: number;
  lockedUntil: Date | null;
  source: 'central' | 'hall';
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, login, name, roles, hall_ids::text[] AS "hallIds",
  department_ids AS "departmentIds", enabled, password_hash AS "passwordHash",
  pin_hash AS "pinHash", totp_secret AS "totpSecret", totp_last_step AS "totpLastStep",
  failed_sign_ins AS "failedSignIns", locked_until AS "lockedUntil", source, created_at AS "createdAt",
  updated_at AS "updatedAt"`;

export type StaffWrite = Pick<
  StaffRecord,
  | 'id'
  | 'login'
  | 'name'
  | 'roles'
  | 'hallIds'
  | 'departmentIds'
  | 'enabled'
  | 'passwordHash'
  | 'pinHash'
  | 'totpSecret'
  | 'source'
>;

export interface SessionRow {
  staffId: string;
  expiresAt: Date;
  /** Signed out, idle too long, or past its absolute end: judged by the database's clock. */
  state: 'live' | 'ended' | 'idle' | 'expired';
}

/** Staff accounts, admin sessions and setup codes: SQL only. */
export const staffStore = {
  async byId(db: Q, id: string, lock = false): Promise<StaffRecord | undefined> {
    const { rows } = await db.query<StaffRecord>(
      `SELECT ${COLUMNS} FROM staff WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0];
  },
  async byLogin(db: Q, login: string, lock = false): Promise<StaffRecord | undefined> {
    const { rows } = await db.query<StaffRecord>(
      `SELECT ${COLUMNS} FROM staff WHERE login = $1${lock ? ' FOR UPDATE' : ''}`,
      [login],
    );
    return rows[0];
  },
  /** Everyone, or the people working in one of these halls. */
  async list(db: Q, hallIds: string[] | null): Promise<StaffRecord[]> {
    const { rows } = await db.query<StaffRecord>(
      `SELECT ${COLUMNS} FROM staff WHERE $1::uuid[] IS NULL OR hall_ids && $1::uuid[] ORDER BY login`,
      [hallIds],
    );
    return rows;
  },
  /** Which of these ids are live catalog departments (of some hall, or of every hall). */
  async liveDepartments(db: Q, ids: string[]): Promise<string[]> {
    const { rows } = await db.query<{ id: string }>(
      `SELECT DISTINCT id FROM ref_rows WHERE kind = 'catalog.department' AND id = ANY($1::text[]) AND NOT deleted`,
      [ids],
    );
    return rows.map((r) => r.id);
  },
  async anyWithRole(db: Q, role: string): Promise<boolean> {
    const { rows } = await db.query('SELECT 1 FROM staff WHERE $1 = ANY(roles) LIMIT 1', [role]);
    return rows.length > 0;
  },
  async upsert(tx: Tx, s: StaffWrite): Promise<void> {
    await tx.query(
      `INSERT INTO staff (id, login, name, roles, hall_ids, enabled, password_hash, pin_hash, totp_secret, source,
         department_ids)
       VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET login = excluded.login, name = excluded.name, roles = excluded.roles,
         hall_ids = excluded.hall_ids, enabled = excluded.enabled, password_hash = excluded.password_hash,
         pin_hash = excluded.pin_hash, totp_secret = excluded.totp_secret, source = excluded.source,
         department_ids = excluded.department_ids, updated_at = now()`,
      [
        s.id,
        s.login,
        s.name,
        s.roles,
        s.hallIds,
        s.enabled,
        s.passwordHash,
        s.pinHash,
        s.totpSecret,
        s.source,
        s.departmentIds,
      ],
    );
  },
  async recordFailure(tx: Tx, id: string, lockedUntil: Date | null): Promise<void> {
    await tx.query('UPDATE staff SET failed_sign_ins = failed_sign_ins + 1, locked_until = $2 WHERE id = $1', [
      id,
      lockedUntil,
    ]);
  },
  async recordSuccess(tx: Tx, id: string, totpStep: number | null): Promise<void> {
    await tx.query(
      `UPDATE staff SET failed_sign_ins = 0, locked_until = NULL,
         totp_last_step = coalesce($2, totp_last_step) WHERE id = $1`,
      [id, totpStep],
    );
  },
  async setSetupCode(tx: Tx, id: string, code: string, expiresAt: Date): Promise<void> {
    await tx.query('UPDATE staff SET setup_code_sha256 = $2, setup_expires_at = $3 WHERE id = $1', [
      id,
      sha256(code),
      expiresAt,
    ]);
  },
  /** Takes the setup code of this login: true once, while it is fresh. */
  async takeSetupCode(tx: Tx, login: string, code: string): Promise<boolean> {
    const r = await tx.query(
      `UPDATE staff SET setup_code_sha256 = NULL, setup_expires_at = NULL
       WHERE login = $1 AND setup_code_sha256 = $2 AND setup_expires_at > now()`,
      [login, sha256(code)],
    );
    return r.rowCount === 1;
  },

  async createSession(tx: Tx, token: string, staffId: string, expiresAt: Date): Promise<void> {
    await tx.query('INSERT INTO admin_sessions (token_sha256, staff_id, expires_at) VALUES ($1, $2, $3)', [
      sha256(token),
      staffId,
      expiresAt,
    ]);
  },
  async session(db: Q, token: string, idleSeconds: number): Promise<SessionRow | undefined> {
    const { rows } = await db.query<SessionRow>(
      `SELECT staff_id AS "staffId", expires_at AS "expiresAt",
         CASE WHEN ended_at IS NOT NULL THEN 'ended'
              WHEN expires_at <= now() THEN 'expired'
              WHEN last_seen_at <= now() - make_interval(secs => $2) THEN 'idle'
              ELSE 'live' END AS state
       FROM admin_sessions WHERE token_sha256 = $1`,
      [sha256(token), idleSeconds],
    );
    return rows[0];
  },
  async touchSession(db: Q, token: string): Promise<void> {
    await db.query('UPDATE admin_sessions SET last_seen_at = now() WHERE token_sha256 = $1', [sha256(token)]);
  },
  async endSession(db: Q, token: string): Promise<void> {
    await db.query('UPDATE admin_sessions SET ended_at = coalesce(ended_at, now()) WHERE token_sha256 = $1', [
      sha256(token),
    ]);
  },
  async endSessionsOf(db: Q, staffId: string): Promise<void> {
    await db.query('UPDATE admin_sessions SET ended_at = now() WHERE staff_id = $1 AND ended_at IS NULL', [staffId]);
  },
  /** Test and restore aid: moves a session's clock back, as if time had passed. */
  async ageSession(db: Q, token: string, seconds: number): Promise<void> {
    await db.query(
      `UPDATE admin_sessions SET last_seen_at = last_seen_at - make_interval(secs => $2),
         created_at = created_at - make_interval(secs => $2),
         expires_at = expires_at - make_interval(secs => $2) WHERE token_sha256 = $1`,
      [sha256(token), seconds],
    );
  },
};
