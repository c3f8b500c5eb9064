import crypto, { type KeyObject } from 'node:crypto';
import { AppError, type LeaderSession } from '@shared/api';
import { centralCommentAad } from '@shared/leader/seal-format';
import type { Caller } from '../api/caller';
import { CiphertextError, deriveKek, openJson, unwrapKey, wrapKey, type ScryptParams } from './crypto';
import { convertLegacyAccount, leaderAad as aad } from './legacy-conversion';
import { FREE_FAILURES, lockoutDelayMs } from './lockout';
import type { PaneCore, Profile } from './pane-core';
import { openJsonBox, privateKeyOf, sealJsonTo } from './seal-box';
import { matchTotp } from './totp';
import type { AccountRow } from '../store/leader-store';

export interface LeaderSessionState {
  leaderId: string;
  name: string;
  /** The leader's private key, unwrapped by the password: it opens every sealed record. */
  key: KeyObject;
  lastActiveMs: number;
}

const forbidden = (reason: string, message: string, extra: object = {}) =>
  new AppError('FORBIDDEN', message, { reason, ...extra });

/** Sessions bound to one window or page that lock after idling: sign-in with password and code, and locking. */
export function createLeaderSessions(core: PaneCore) {
  const { deps, store, now, scryptParams, audit, write } = core;
  const idleMs = deps.idleLockSeconds * 1000;
  const sessions = new Map<string, LeaderSessionState>();
  /** Why a window's session ended, so the refusal of its next call can say it (idle, screen lock…). */
  const ended = new Map<string, string>();
  // Logins run one at a time, so parallel guesses cannot all slip in before the first failure counts.
  let loginQueue: Promise<unknown> = Promise.resolve();

  function endSession(origin: string, reason: string) {
    const s = sessions.get(origin);
    if (!s) return;
    ended.set(origin, reason);
    sessions.delete(origin);
    write(() => audit({ origin }, s.leaderId, 'lock', null, { reason }));
  }

  /** The unlocked session of this window or page, refreshed; locked (and audited) once it idled too long. */
  function requireSession(caller: Caller): LeaderSessionState {
    const s = sessions.get(caller.origin);
    if (!s) throw forbidden('leader_locked', 'the leader pane is locked: sign in with password and code');
    if (now().getTime() - s.lastActiveMs >= idleMs) {
      endSession(caller.origin, 'idle');
      throw forbidden('session_expired', 'the leader pane locked itself after being idle: sign in again');
    }
    s.lastActiveMs = now().getTime();
    return s;
  }

  function sessionView(caller: Caller): LeaderSession {
    const s = sessions.get(caller.origin);
    const idleLockSeconds = deps.idleLockSeconds;
    if (!s) return { state: 'locked', idleLockSeconds };
    return {
      state: 'unlocked',
      leaderName: s.name,
      idleLockSeconds,
      expiresAt: new Date(s.lastActiveMs + idleMs).toISOString(),
    };
  }

  async function login(
    input: { login: string; password: string; code: string },
    caller: Caller,
  ): Promise<LeaderSession> {
    const run = loginQueue.then(() => attemptLogin(input, caller));
    loginQueue = run.catch(() => undefined);
    return run;
  }

  async function attemptLogin(
    input: { login: string; password: string; code: string },
    caller: Caller,
  ): Promise<LeaderSession> {
    const account = store.accountByLogin(input.login);
    if (!account) {
      // Spend the same time as a real check, so the answer's speed does not reveal which logins exist.
      await deriveKek(input.password, crypto.randomBytes(16), scryptParams);
      write(() => audit(caller, null, 'login.failure', null, { login: input.login, factor: 'login' }));
      throw forbidden('bad_credentials', 'wrong login, password or code');
    }
    const nowMs = now().getTime();
    if (account.locked_until_ms > nowMs) {
      const retryAfterSeconds = Math.ceil((account.locked_until_ms - nowMs) / 1000);
      write(() => audit(caller, account.id, 'login.refused', null, { reason: 'locked_out', retryAfterSeconds }));
      throw forbidden('locked_out', `too many failed sign-ins: try again in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
      });
    }

    const unlocked = await unlock(account, input.password);
    const profile = unlocked && openProfile(account, unlocked);
    const step = profile ? matchTotp(Buffer.from(profile.totpSecret, 'base64'), input.code, nowMs) : null;
    if (!unlocked || !profile || step === null || step <= account.last_totp_step) {
      unlocked?.legacyDek?.fill(0);
      unlocked?.kek.fill(0);
      const factor = !unlocked ? 'password' : step === null ? 'code' : 'code_reused';
      const failures = account.failed_logins + 1;
      const lockMs = lockoutDelayMs(failures);
      write(() => {
        store.recordFailure(account.id, failures, lockMs > 0 ? nowMs + lockMs : 0);
        audit(caller, account.id, 'login.failure', null, { factor, failures });
      });
      if (lockMs > 0) {
        const retryAfterSeconds = Math.ceil(lockMs / 1000);
        throw forbidden('locked_out', `too many failed sign-ins: try again in ${retryAfterSeconds} s`, {
          retryAfterSeconds,
        });
      }
      throw forbidden('bad_credentials', 'wrong login, password or code', { attemptsLeft: FREE_FAILURES - failures });
    }

    const key = write(() => {
      let k = unlocked.key;
      if (!k) {
        k = convertLegacyAccount(store, account, unlocked.legacyDek!, unlocked.kek, store.centralKey(), deps.crypto);
        audit(caller, account.id, 'account.converted', null);
      }
      store.recordSuccess(account.id, step);
      sealPendingForCentral(account.id, k);
      audit(caller, account.id, 'login.success', null);
      return k;
    });
    unlocked.legacyDek?.fill(0);
    unlocked.kek.fill(0);
    sessions.set(caller.origin, { leaderId: account.id, name: profile.name, key, lastActiveMs: nowMs });
    return sessionView(caller);
  }

  /**
   * The password's key and what it unwraps: the private key, or for an account from before the key pair
   * its data key (converted once the code is checked too). Undefined: wrong password.
   */
  async function unlock(
    account: AccountRow,
    password: string,
  ): Promise<{ kek: Buffer; key?: KeyObject; legacyDek?: Buffer } | undefined> {
    const kek = await deriveKek(password, account.kdf_salt, JSON.parse(account.kdf_params) as ScryptParams);
    try {
      if (account.seal_private_by_password) {
        const pkcs8 = unwrapKey(kek, account.seal_private_by_password, 'seal-private');
        const key = privateKeyOf(pkcs8);
        pkcs8.fill(0);
        return { kek, key };
      }
      return { kek, legacyDek: unwrapKey(kek, account.dek_by_password, 'password') };
    } catch (e) {
      kek.fill(0);
      if (e instanceof CiphertextError) return undefined;
      throw e;
    }
  }
  function openProfile(account: AccountRow, u: { key?: KeyObject; legacyDek?: Buffer }): Profile {
    return u.key
      ? openJsonBox<Profile>(u.key, account.profile, aad.profile(account.id))
      : openJson<Profile>(u.legacyDek!, account.profile, aad.profile(account.id));
  }

  /** Actions written while the device knew no central key, sealed for central now that it does. */
  function sealPendingForCentral(leaderId: string, key: KeyObject): void {
    const centralKey = store.centralKey();
    if (!centralKey) return;
    for (const a of store.unsealedForCentral(leaderId)) {
      const body = openJsonBox<unknown>(key, a.body, aad.action(leaderId, a.id));
      store.setForCentral(a.id, sealJsonTo(centralKey, body, centralCommentAad(leaderId, a.id)));
    }
  }

  async function changePassword(
    input: { currentPassword: string; newPassword: string; code: string },
    caller: Caller,
  ): Promise<{ changedAt: string }> {
    const s = requireSession(caller);
    const account = store.accountById(s.leaderId)!;
    const refuse = (factor: string) => {
      write(() => audit(caller, s.leaderId, 'password.change.refused', null, { factor }));
      return forbidden('bad_credentials', 'wrong current password or code');
    };
    const current = await unlock(account, input.currentPassword);
    if (!current) throw refuse('password');
    current.kek.fill(0);
    const profile = openJsonBox<Profile>(s.key, account.profile, aad.profile(account.id));
    const step = matchTotp(Buffer.from(profile.totpSecret, 'base64'), input.code, now().getTime());
    if (step === null || step <= account.last_totp_step) throw refuse('code');
    // Only the wrapping changes: the key pair, and so every record, stays as it is.
    const kdfSalt = crypto.randomBytes(16);
    const newKek = await deriveKek(input.newPassword, kdfSalt, scryptParams);
    const changedAt = now().toISOString();
    const pkcs8 = s.key.export({ format: 'der', type: 'pkcs8' });
    const sealPrivate = wrapKey(newKek, pkcs8, 'seal-private', deps.crypto);
    pkcs8.fill(0);
    newKek.fill(0);
    write(() => {
      store.rewrapPassword({
        id: account.id,
        kdfSalt,
        kdfParams: JSON.stringify(scryptParams),
        sealPrivate,
        at: changedAt,
      });
      store.useTotpStep(account.id, step);
      audit(caller, account.id, 'password.change', null);
    });
    return { changedAt };
  }

  return {
    requireSession,
    service: {
      /**
       * The leader signed in on this window or page, for the access check (no refresh: the content call
       * itself refreshes or locks the session); undefined when locked or idle past the lock.
       */
      activeLeader(origin: string): { leaderId: string; name: string } | undefined {
        const s = sessions.get(origin);
        if (!s) return undefined;
        if (now().getTime() - s.lastActiveMs >= idleMs) {
          endSession(origin, 'idle');
          return undefined;
        }
        return { leaderId: s.leaderId, name: s.name };
      },
      /** Why this window's pane locked last: `idle`, or how it was locked (`manual`, `screen-lock`…). */
      lockReason: (origin: string): string | undefined => ended.get(origin),
      status: (caller: Caller): LeaderSession => {
        if (sessions.has(caller.origin)) {
          try {
            requireSession(caller);
          } catch {
            // Expired: the answer below says locked.
          }
        }
        return sessionView(caller);
      },
      login,
      lock(caller: Caller): LeaderSession {
        endSession(caller.origin, 'manual');
        return sessionView(caller);
      },
      /** Ends sessions that idled out, so their data keys leave memory even if no call comes again. */
      lockIdle(): void {
        const nowMs = now().getTime();
        for (const [origin, s] of [...sessions]) if (nowMs - s.lastActiveMs >= idleMs) endSession(origin, 'idle');
      },
      /** Screen locked, system suspending, app quitting: every pane locks. */
      lockAll(reason: string): void {
        for (const origin of [...sessions.keys()]) endSession(origin, reason);
      },
      changePassword,
    },
  };
}
export type LeaderSessions = ReturnType<typeof createLeaderSessions>;
