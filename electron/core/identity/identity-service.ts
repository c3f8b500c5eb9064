import crypto from 'node:crypto';
import { AppError, type MethodName, type ParsedInput } from '@shared/api';
import type { IdentitySession } from '@shared/api/methods/identity';
import {
  HALL_GRANTABLE_ROLES,
  type HallStaffRole,
  pinSchema,
  type Person,
  type Staff,
  type StaffRole,
} from '@shared/identity/staff';
import type { IdentityMutationArgs } from '@shared/sync/mutations/identity';
import type { Caller } from '../api/caller';
import { lockoutDelayMs, FREE_FAILURES } from '../leader/lockout';
import { base32Encode, otpauthUri } from '@shared/identity/otp';
import { base32Decode, matchTotp } from '../leader/totp';
import type { OutboxStore } from '../store/outbox-store';
import type { DemoStaff } from '../queue/demo-hall';
import type { AuditLog } from './audit-log';
import { hashPassword, hashPin, verifySecret } from './credentials';
import type { EndReason, PersonSessions } from './person-sessions';
import { publicStaff, type StaffRecord, type StaffStore } from './staff-store';

/**
 * Reads a page makes by itself (polls, re-fetches on hall events): not someone at the desk, so they do
 * not hold an admin session open past its idle lock.
 */
const BACKGROUND_READS: ReadonlySet<MethodName> = new Set<MethodName>([
  'system.info',
  'hall.profile.get',
  'identity.session',
  'sync.status',
  'queue.kpis',
  'queue.hall.clock',
  'queue.counters',
  'queue.admin.queues',
  'queue.display.settings',
  'insight.dashboard',
  'feedback.list',
  'rating.list',
]);

/** Roles that sign in with password and TOTP on the admin page. */
const PASSWORD_ROLES: readonly HallStaffRole[] = ['hall_admin', 'supervisor'];
// Verified when the login is unknown, so the answer takes as long and says nothing of which logins exist.
const DUMMY_PIN_HASH = hashPin('000000');

/**
 * The demo's published PIN and password hashed once a process, for every demo account and every new demo
 * database: each hash is 50–100 ms of scrypt, and a secret printed in the README gains nothing from a salt
 * of its own.
 */
const demoHashes = new Map<string, string>();
function demoHash(kind: 'pin' | 'password', secret: string): string {
  const key = `${kind}\u0000${secret}`;
  let hash = demoHashes.get(key);
  if (!hash) {
    hash = kind === 'pin' ? hashPin(secret) : hashPassword(secret);
    demoHashes.set(key, hash);
  }
  return hash;
}

type Refusal = 'WRONG_CREDENTIALS' | 'ACCOUNT_LOCKED' | 'ACCOUNT_DISABLED' | 'STAFF_ROLE_REQUIRED';
const refuse = (reason: Refusal | 'LOGIN_TAKEN' | 'NOT_HALL_ACCOUNT', message: string, extra: object = {}) =>
  new AppError(reason === 'LOGIN_TAKEN' ? 'CONFLICT' : 'FORBIDDEN', message, { reason, ...extra });

export interface CounterBinding {
  /** Counters this device may sign in at; null: any. */
  counterIds: readonly string[] | null;
  pairedCounterId: string | null;
  /** Enrolled with central (its accounts come from there). */
  enrolled: boolean;
}

/**
 * Staff accounts and who is signed in: counter PIN and admin password+TOTP checks with a lockout kept
 * on disk, person sessions per window/page, the hall's own clerks created offline, and an audit row for
 * every sign-in, failure, lockout and account change.
 */
export function createIdentityService(deps: {
  staff: StaffStore;
  audit: AuditLog;
  outbox: OutboxStore;
  sessions: PersonSessions;
  now: () => Date;
  adminIdleLockSeconds: number;
  /** The issuer an authenticator app shows beside the account. */
  issuer: () => string;
}) {
  const { staff, audit, sessions, now } = deps;
  /** Where each person last signed in (window, page or hall device): whom a device may act for at the hub. */
  const signedInFrom = new Map<string, string>();

  const personOf = (r: StaffRecord, via: Person['via'], counterId: string | null): Person => ({
    staffId: r.id,
    login: r.login,
    name: r.name,
    roles: r.roles,
    via,
    counterId,
    signedInAt: now().toISOString(),
  });

  /**
   * The shared part of every credential check: lockout first, then the secret, each outcome audited in
   * the transaction that counts it, so parallel guesses cannot slip past the count.
   */
  function check(
    login: string,
    origin: string,
    via: 'pin' | 'password',
    roles: readonly StaffRole[],
    proves: (r: StaffRecord) => { ok: boolean; totpStep?: number },
  ): StaffRecord {
    const nowMs = now().getTime();
    const found = staff.byLogin(login);
    const base = { actorStaffId: found?.id ?? null, actorLogin: login, origin, target: null };
    if (found && found.lockedUntil && Date.parse(found.lockedUntil) > nowMs) {
      const retryAfterSeconds = Math.ceil((Date.parse(found.lockedUntil) - nowMs) / 1000);
      audit.record({ ...base, action: 'sign_in_failed', outcome: 'refused', detail: { via, why: 'locked' } });
      throw refuse('ACCOUNT_LOCKED', `too many failed sign-ins: try again in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
      });
    }
    const proof = found ? proves(found) : { ok: verifySecret('0', DUMMY_PIN_HASH) && false };
    if (!found || !proof.ok) {
      staff.transaction(() => {
        audit.record({ ...base, action: 'sign_in_failed', outcome: 'refused', detail: { via } });
        if (!found) return;
        const failures = found.failedAttempts + 1;
        const lockMs = lockoutDelayMs(failures);
        staff.recordFailure(found.id, failures, lockMs > 0 ? new Date(nowMs + lockMs).toISOString() : null);
        if (lockMs > 0) {
          audit.record({ ...base, action: 'locked_out', outcome: 'refused', detail: { via, failures, lockMs } });
        }
      });
      throw refuse('WRONG_CREDENTIALS', 'wrong login or credentials', {
        attemptsLeft: found ? Math.max(0, FREE_FAILURES - found.failedAttempts - 1) : null,
      });
    }
    if (!found.enabled) {
      audit.record({ ...base, action: 'sign_in_failed', outcome: 'refused', detail: { via, why: 'disabled' } });
      throw refuse('ACCOUNT_DISABLED', 'this account is disabled: ask the hall administrator');
    }
    if (!found.roles.some((r) => roles.includes(r))) {
      audit.record({ ...base, action: 'sign_in_failed', outcome: 'refused', detail: { via, why: 'role' } });
      throw refuse('STAFF_ROLE_REQUIRED', `this sign-in needs one of: ${roles.join(', ')}`);
    }
    signedInFrom.set(found.id, origin);
    staff.transaction(() => {
      staff.recordSuccess(found.id);
      if (proof.totpStep !== undefined) staff.useTotpStep(found.id, proof.totpStep);
      audit.record({ ...base, action: 'sign_in', outcome: 'ok', detail: { via } });
    });
    return found;
  }

  function sessionOf(caller: Caller, binding: CounterBinding): IdentitySession {
    const person = sessions.peek(caller.origin) ?? null;
    return {
      person,
      idleLockSeconds: person?.via === 'password' ? deps.adminIdleLockSeconds : null,
      boundCounterIds: binding.counterIds ? [...binding.counterIds] : null,
      pairedCounterId: binding.pairedCounterId,
      setup: binding.enrolled || staff.hasHallAdmin() ? 'ready' : 'enrol_first',
    };
  }

  function totpEnrolment(login: string) {
    const secret = base32Encode(crypto.randomBytes(20));
    return { secret, otpauthUri: otpauthUri(secret, login, deps.issuer()) };
  }

  return {
    /** A clerk's counter PIN; the caller (the queue) decides the counter. */
    verifyPin(login: string, pin: string, origin: string, counterId: string): Person {
      const r = check(login, origin, 'pin', ['clerk'], (s) => ({
        ok: s.pinHash !== null && verifySecret(pin, s.pinHash),
      }));
      // A PIN set before accounts may have 4 digits: right, but too weak to keep using.
      if (!pinSchema.safeParse(pin).success) {
        throw new AppError('FORBIDDEN', 'this PIN is too short: ask the hall administrator for a new one', {
          reason: 'PIN_RESET_REQUIRED',
        });
      }
      return personOf(r, 'pin', counterId);
    },

    /** Password and TOTP code of a hall administrator or supervisor. */
    verifyPassword(input: ParsedInput<'identity.signIn'>, origin: string): Person {
      const r = check(input.login, origin, 'password', PASSWORD_ROLES, (s) => {
        if (!s.passwordHash || !s.totpSecret || !verifySecret(input.password, s.passwordHash)) return { ok: false };
        const step = matchTotp(base32Decode(s.totpSecret), input.totp, now().getTime());
        // A code already used is refused like a wrong one: it may have been read over a shoulder.
        return step !== null && step > s.lastTotpStep ? { ok: true, totpStep: step } : { ok: false };
      });
      return personOf(r, 'password', null);
    },

    /** Holds `person` on the caller's session; a password session locks after the admin idle time. */
    bind(caller: Caller, person: Person) {
      sessions.bind(caller.origin, person, person.via === 'password' ? deps.adminIdleLockSeconds * 1000 : null);
    },

    signOut(caller: Caller, binding: CounterBinding): IdentitySession {
      const person = sessions.end(caller.origin, 'signed_out');
      if (person) {
        audit.record({
          action: 'sign_out',
          actorStaffId: person.staffId,
          actorLogin: person.login,
          origin: caller.origin,
          target: person.counterId,
          outcome: 'ok',
          detail: {},
        });
      }
      return sessionOf(caller, binding);
    },

    session: sessionOf,
    knows: (login: string): boolean => staff.byLogin(login) !== undefined,

    /**
     * Enrolment needs a signed-in hall administrator, except on a new device that has none yet (and is not
     * enrolled): central's one-time code is the proof of authority then.
     */
    requireEnrolmentRight(caller: Caller, enrolled: boolean) {
      if (!enrolled && !staff.hasHallAdmin()) return;
      if (!caller.person) {
        throw new AppError('SIGN_IN_REQUIRED', 'sign in as the hall administrator to enrol this device again', {
          reason: 'SIGN_IN_REQUIRED',
        });
      }
      if (!caller.person.roles.includes('hall_admin')) {
        throw new AppError('FORBIDDEN', 'only a hall administrator enrols this device', {
          reason: 'STAFF_ROLE_REQUIRED',
        });
      }
    },

    /** Who is signed in on the caller's session now (a call of `method` by the person refreshes its idle clock). */
    personOf(origin: string, method?: MethodName): Person | undefined {
      const touch = method === undefined || !BACKGROUND_READS.has(method);
      return sessions.current(
        origin,
        (p) =>
          audit.record({
            action: 'session_ended',
            actorStaffId: p.staffId,
            actorLogin: p.login,
            origin,
            target: null,
            outcome: 'ok',
            detail: { why: 'idle' },
          }),
        touch,
      );
    },
    endedReason: (origin: string): EndReason | undefined => sessions.endedReason(origin),

    /**
     * A person a hall device vouches for on a forwarded call: only someone this core itself signed in from
     * that very device last (a stolen device token cannot name anyone else), and still enabled.
     */
    personById(staffId: string, origin: string): Person | undefined {
      if (signedInFrom.get(staffId) !== origin) return undefined;
      const r = staff.byId(staffId);
      return r?.enabled ? personOf(r, 'device', null) : undefined;
    },

    /** The hub ended a clerk's counter sign-in (they signed in elsewhere, or were disabled): end it here too. */
    endCounter(counterId: string, staffId: string, reason: EndReason) {
      for (const origin of sessions.endWhere((p) => p.staffId === staffId && p.counterId === counterId, reason)) {
        audit.record({
          action: 'session_ended',
          actorStaffId: staffId,
          actorLogin: null,
          origin,
          target: counterId,
          outcome: 'ok',
          detail: { why: reason },
        });
      }
    },

    list: (): Staff[] => staff.list().map(publicStaff),

    /**
     * A hall administrator creates or changes a clerk or supervisor on the hub, offline; the change goes to
     * central in the same transaction. Accounts central appointed with other roles are central's to change.
     */
    upsert(
      input: ParsedInput<'staff.upsert'>,
      caller: Caller,
    ): { staff: Staff; totp: { secret: string; otpauthUri: string } | null } {
      return staff.transaction(() => {
        const existing = input.id ? staff.byId(input.id) : undefined;
        if (existing && existing.roles.some((r) => !(HALL_GRANTABLE_ROLES as readonly string[]).includes(r))) {
          throw refuse('NOT_HALL_ACCOUNT', 'this account was appointed at central: change it there');
        }
        const sameLogin = staff.byLogin(input.login);
        if (sameLogin && sameLogin.id !== existing?.id) throw refuse('LOGIN_TAKEN', `login "${input.login}" is taken`);
        const id = existing?.id ?? input.id ?? crypto.randomUUID();
        const pinHash = input.pin ? hashPin(input.pin) : (existing?.pinHash ?? null);
        const passwordHash = input.password ? hashPassword(input.password) : (existing?.passwordHash ?? null);
        const totp = input.password ? totpEnrolment(input.login) : null;
        const at = now().toISOString();
        const record = {
          id,
          login: input.login,
          name: input.name,
          roles: [...input.roles],
          enabled: input.enabled,
          pinHash,
          passwordHash,
          totpSecret: totp?.secret ?? existing?.totpSecret ?? null,
          source: 'hall' as const,
          updatedAt: at,
        };
        staff.upsert(record);
        const args: IdentityMutationArgs<'staff.upsert@1'> = {
          staffId: id,
          login: record.login,
          name: record.name,
          roles: [...input.roles],
          enabled: record.enabled,
          ...(input.pin ? { pinHash: pinHash! } : {}),
          ...(input.password ? { passwordHash: passwordHash!, totpSecret: totp!.secret } : {}),
          at,
        };
        deps.outbox.append({ name: 'staff.upsert', version: 1, args, entityId: id }, now());
        const actor = { actorStaffId: caller.person?.staffId ?? null, actorLogin: caller.person?.login ?? null };
        const base = { ...actor, origin: caller.origin, target: id, outcome: 'ok' as const };
        audit.record({
          ...base,
          action: 'staff_changed',
          detail: { login: record.login, created: !existing, enabled: record.enabled, roles: record.roles },
        });
        if (existing && existing.roles.join() !== record.roles.join()) {
          audit.record({ ...base, action: 'role_changed', detail: { from: existing.roles, to: record.roles } });
        }
        if (existing && input.pin) audit.record({ ...base, action: 'pin_reset', detail: {} });
        if (!record.enabled) sessions.endWhere((p) => p.staffId === id, 'account_disabled');
        return { staff: publicStaff(staff.byId(id)!), totp };
      });
    },

    /** An account as central holds it (pulled); a deleted one stays, disabled, for history. */
    applyPulled(
      id: string,
      data: Omit<StaffRecord, 'id' | 'source' | 'failedAttempts' | 'lockedUntil' | 'lastTotpStep' | 'updatedAt'> | null,
    ) {
      const existing = staff.byId(id);
      if (!data) {
        if (existing) staff.upsert({ ...existing, enabled: false, source: 'central', updatedAt: now().toISOString() });
        sessions.endWhere((p) => p.staffId === id, 'account_disabled');
        return;
      }
      staff.upsert({ ...data, id, source: 'central', updatedAt: now().toISOString() });
      if (!data.enabled) sessions.endWhere((p) => p.staffId === id, 'account_disabled');
    },

    /** After a move to another hall: nobody of the old hall signs in here any more. */
    disableAll() {
      staff.disableAll();
      sessions.endWhere(() => true, 'account_disabled');
    },

    /** The demo hall's people, only into a new demo database. */
    seedDemo(people: readonly DemoStaff[]) {
      staff.transaction(() => {
        for (const p of people) {
          staff.upsert({
            id: p.id,
            login: p.login,
            name: p.name,
            roles: p.roles,
            enabled: true,
            pinHash: p.pin ? demoHash('pin', p.pin) : null,
            passwordHash: p.password ? demoHash('password', p.password) : null,
            totpSecret: p.totpSecret ?? null,
            source: 'hall',
            updatedAt: now().toISOString(),
          });
        }
      });
    },
  };
}
export type IdentityService = ReturnType<typeof createIdentityService>;
