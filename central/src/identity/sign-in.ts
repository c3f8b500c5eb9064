import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { SESSION_IDLE_SECONDS } from '@shared/console/session';
import { inTransaction, type Db } from '../db/pool';
import { auditAdmin } from './audit';
import { burnSecretCheck, hashSecret, verifySecret } from './secret-hash';
import { auditView, publicStaff, writeStaff } from './staff-refs';
import { staffStore, type StaffRecord } from './staff-store';
import { newTotpEnrolment, totpStepOf } from './totp-secret';

// The console signs out after the same idle time: one number for both.
export { SESSION_IDLE_SECONDS };
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
export const MAX_FAILURES = 5;
export const SETUP_CODE_MS = 15 * 60 * 1000;

/** From the fifth failure on: 1, 2, 4 … minutes, at most an hour, so guessing stays slow but nobody is locked out for good. */
export const lockDelayMs = (failures: number) =>
  failures < MAX_FAILURES ? 0 : Math.min(2 ** (failures - MAX_FAILURES), 60) * 60_000;

/** A refusal with its HTTP status and a stable code a client can act on. */
export class IdentityError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
  body() {
    return { error: this.code, code: this.code, message: this.message, ...this.extra };
  }
}

export const personOf = (s: StaffRecord) => ({
  staffId: s.id,
  login: s.login,
  name: s.name,
  roles: s.roles,
  hallIds: s.hallIds,
});

type Outcome<T> = { ok: true; value: T } | { ok: false; error: IdentityError };
/** Runs in one transaction and commits whether it refuses or not: a refusal's audit row and counters must stay. */
async function committed<T>(db: Db, fn: Parameters<typeof inTransaction<Outcome<T>>>[1]): Promise<T> {
  const r = await inTransaction(db, fn);
  if (!r.ok) throw r.error;
  return r.value;
}

export async function signIn(
  db: Db,
  req: FastifyRequest,
  input: { login: string; password: string; totp?: string | undefined },
) {
  return committed(db, async (tx) => {
    const s = await staffStore.byLogin(tx, input.login, true);
    const fail = async (error: IdentityError, counts: boolean) => {
      let locked = false;
      if (s && counts) {
        const until = lockDelayMs(s.failedSignIns + 1);
        locked = until > 0;
        await staffStore.recordFailure(tx, s.id, locked ? new Date(Date.now() + until) : s.lockedUntil);
      }
      const actor = { staffId: s?.id ?? null, login: s?.login ?? input.login };
      await auditAdmin(tx, req, actor, {
        action: 'sign_in_failed',
        entity: s ? `staff:${s.id}` : null,
        hallId: null,
        after: { reason: error.code },
        outcome: 'refused',
      });
      if (locked) {
        await auditAdmin(tx, req, actor, {
          action: 'locked_out',
          entity: `staff:${s!.id}`,
          hallId: null,
          after: { failures: s!.failedSignIns + 1, forSeconds: lockDelayMs(s!.failedSignIns + 1) / 1000 },
          outcome: 'refused',
        });
      }
      return { ok: false as const, error };
    };
    const bad = new IdentityError(401, 'INVALID_CREDENTIALS', 'wrong login or password');
    if (!s) {
      await burnSecretCheck(input.password);
      return fail(bad, false);
    }
    if (s.lockedUntil && s.lockedUntil.getTime() > Date.now()) {
      const retryAfterSeconds = Math.ceil((s.lockedUntil.getTime() - Date.now()) / 1000);
      return fail(new IdentityError(403, 'ACCOUNT_LOCKED', 'too many failed sign-ins', { retryAfterSeconds }), false);
    }
    if (!(await verifySecret(input.password, s.passwordHash))) return fail(bad, true);
    if (!s.enabled) return fail(new IdentityError(403, 'ACCOUNT_DISABLED', 'this account is disabled'), false);
    if (!s.totpSecret) {
      return fail(new IdentityError(403, 'TOTP_NOT_ENROLLED', 'this account has no authenticator enrolled'), false);
    }
    if (!input.totp) return fail(new IdentityError(401, 'TOTP_REQUIRED', 'the authenticator code is required'), true);
    const step = totpStepOf(s.totpSecret, input.totp);
    // A step at or before the last accepted one is a replayed code.
    if (step === null || step <= s.totpLastStep) {
      return fail(new IdentityError(401, 'TOTP_INVALID', 'wrong or already used authenticator code'), true);
    }
    await staffStore.recordSuccess(tx, s.id, step);
    const token = crypto.randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_ABSOLUTE_MS);
    await staffStore.createSession(tx, token, s.id, expiresAt);
    await auditAdmin(
      tx,
      req,
      { staffId: s.id, login: s.login },
      { action: 'sign_in', entity: `staff:${s.id}`, hallId: null },
    );
    return { ok: true as const, value: { token, person: personOf(s), expiresAt: expiresAt.toISOString() } };
  });
}

/** The person behind a bearer session token, or why there is none. Touches the session (idle clock). */
export async function sessionPerson(db: Db, token: string | undefined): Promise<StaffRecord> {
  if (!token) throw new IdentityError(401, 'UNAUTHENTICATED', 'sign in first');
  const session = await staffStore.session(db, token, SESSION_IDLE_SECONDS);
  if (!session) throw new IdentityError(401, 'UNAUTHENTICATED', 'unknown session');
  if (session.state === 'ended') throw new IdentityError(401, 'SESSION_ENDED', 'signed out');
  if (session.state !== 'live') throw new IdentityError(401, 'SESSION_EXPIRED', 'the session expired: sign in again');
  const s = await staffStore.byId(db, session.staffId);
  if (!s || !s.enabled) {
    await staffStore.endSession(db, token);
    throw new IdentityError(401, 'ACCOUNT_DISABLED', 'this account is disabled');
  }
  await staffStore.touchSession(db, token);
  return s;
}

export async function signOut(db: Db, req: FastifyRequest, token: string, s: StaffRecord): Promise<void> {
  await inTransaction(db, async (tx) => {
    await staffStore.endSession(tx, token);
    await auditAdmin(
      tx,
      req,
      { staffId: s.id, login: s.login },
      { action: 'sign_out', entity: `staff:${s.id}`, hallId: null },
    );
  });
}

/**
 * `--create-admin`: a central administrator without a password (created, or reset: sessions ended,
 * password and authenticator dropped) and a one-time setup code to choose one.
 */
export async function createAdmin(db: Db, login: string): Promise<{ code: string; expiresAt: Date; staffId: string }> {
  return inTransaction(db, async (tx) => {
    const before = await staffStore.byLogin(tx, login, true);
    if (before && !before.roles.includes('central_admin')) {
      throw new IdentityError(409, 'LOGIN_TAKEN', `"${login}" is someone who is not a central administrator`);
    }
    const id = before?.id ?? `adm-${crypto.randomBytes(6).toString('hex')}`;
    const next = {
      id,
      login,
      name: before?.name ?? login,
      roles: ['central_admin'],
      hallIds: [],
      departmentIds: [],
      enabled: true,
      passwordHash: null,
      pinHash: null,
      totpSecret: null,
      source: 'central' as const,
    };
    await writeStaff(tx, next, before);
    await staffStore.recordSuccess(tx, id, null);
    await staffStore.endSessionsOf(tx, id);
    const code = crypto.randomBytes(12).toString('base64url');
    const expiresAt = new Date(Date.now() + SETUP_CODE_MS);
    await staffStore.setSetupCode(tx, id, code, expiresAt);
    await auditAdmin(
      tx,
      null,
      { staffId: null, login: 'cli' },
      {
        action: 'create_admin',
        entity: `staff:${id}`,
        hallId: null,
        before: auditView(before),
        after: auditView(next),
      },
    );
    return { code, expiresAt, staffId: id };
  });
}

/** Sets a password with a setup code and enrols a new authenticator. */
export async function setupWithCode(
  db: Db,
  req: FastifyRequest,
  input: { login: string; code: string; password: string },
) {
  const passwordHash = await hashSecret(input.password);
  return committed(db, async (tx) => {
    const s = await staffStore.byLogin(tx, input.login, true);
    if (!s || !(await staffStore.takeSetupCode(tx, input.login, input.code))) {
      await auditAdmin(
        tx,
        req,
        { staffId: s?.id ?? null, login: input.login },
        {
          action: 'setup_failed',
          entity: s ? `staff:${s.id}` : null,
          hallId: null,
          outcome: 'refused',
        },
      );
      return {
        ok: false as const,
        error: new IdentityError(401, 'SETUP_CODE_INVALID', 'unknown, used or expired setup code'),
      };
    }
    const enrolment = newTotpEnrolment(s.login);
    const next = { ...s, passwordHash, totpSecret: enrolment.totpSecret };
    await writeStaff(tx, next, s);
    await staffStore.recordSuccess(tx, s.id, null);
    await auditAdmin(
      tx,
      req,
      { staffId: s.id, login: s.login },
      {
        action: 'password_set',
        entity: `staff:${s.id}`,
        hallId: null,
        before: auditView(s),
        after: auditView(next),
      },
    );
    return { ok: true as const, value: { person: personOf(s), ...enrolment } };
  });
}

// Any constant: two exchanges at once must not both find "no administrator yet".
const EXCHANGE_LOCK = 7_304_216;

/** The old shared admin token, once: the first central administrator of an existing deployment. */
export async function exchangeLegacyToken(
  db: Db,
  req: FastifyRequest,
  input: { login: string; name: string; password: string },
) {
  const passwordHash = await hashSecret(input.password);
  return committed(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [EXCHANGE_LOCK]);
    if (await staffStore.anyWithRole(tx, 'central_admin')) {
      await auditAdmin(
        tx,
        req,
        { staffId: null, login: input.login },
        {
          action: 'bootstrap_exchange',
          entity: null,
          hallId: null,
          outcome: 'refused',
        },
      );
      return {
        ok: false as const,
        error: new IdentityError(
          409,
          'ALREADY_BOOTSTRAPPED',
          'a central administrator exists: the admin token is retired',
        ),
      };
    }
    if (await staffStore.byLogin(tx, input.login)) {
      return { ok: false as const, error: new IdentityError(409, 'LOGIN_TAKEN', 'this login is taken') };
    }
    const enrolment = newTotpEnrolment(input.login);
    const next = {
      id: `adm-${crypto.randomBytes(6).toString('hex')}`,
      login: input.login,
      name: input.name,
      roles: ['central_admin'],
      hallIds: [],
      departmentIds: [],
      enabled: true,
      passwordHash,
      pinHash: null,
      totpSecret: enrolment.totpSecret,
      source: 'central' as const,
    };
    await writeStaff(tx, next, undefined);
    await auditAdmin(
      tx,
      req,
      { staffId: next.id, login: next.login },
      {
        action: 'bootstrap_exchange',
        entity: `staff:${next.id}`,
        hallId: null,
        after: auditView(next),
      },
    );
    const created = (await staffStore.byId(tx, next.id))!;
    return { ok: true as const, value: { person: publicStaff(created), ...enrolment } };
  });
}
