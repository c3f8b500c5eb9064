import crypto, { type KeyObject } from 'node:crypto';
import {
  AppError,
  describeIssues,
  type AuditVerification,
  type Briefing,
  type BriefingSummary,
  type LeaderAction,
  type LeaderBundle,
  type LeaderEnrolment,
  type LeaderFileSummary,
  type LeaderFileView,
  type LeaderImportResult,
  type LeaderSession,
  type LeaderStorage,
  type ScheduleItem,
} from '@shared/api';
import {
  pulledLeaderContentSchema,
  type BriefingInput,
  type LeaderFileInput,
  type ScheduleInput,
} from '@shared/api/methods/leader';
import type { CryptoProfileName } from '@shared/crypto/profile';
import { centralCommentAad } from '@shared/leader/seal-format';
import { overlaps } from '@shared/leader/schedule-overlaps';
import type { Caller } from '../api/caller';
import { auditPayload, GENESIS_HASH, type AuditDetail } from '../leader/audit-chain';
import { createKeyedChain, type AuditKeyring } from '../audit/keyed-chain';
import {
  CiphertextError,
  DEFAULT_SCRYPT,
  deriveKek,
  openJson,
  unwrapKey,
  wrapKey,
  type ScryptParams,
} from '../leader/crypto';
import { checkedFileBytes } from '../leader/file-check';
import { convertLegacyAccount, leaderAad as aad } from '../leader/legacy-conversion';
import { FREE_FAILURES, lockoutDelayMs } from '../leader/lockout';
import { newSealKeyPair, openBox, openJsonBox, privateKeyOf, sealJsonTo, sealTo } from '../leader/seal-box';
import { leaderStorageRefusal, type SecretBackend } from '../leader/storage-policy';
import { matchTotp, newTotpSecret, otpauthUri, base32Encode } from '../leader/totp';
import type { AccountRow, ActionRow, LeaderStore, RecordKind, RecordSource } from '../store/leader-store';

const TOTP_ISSUER = 'OneWindow 一窗通';

interface Profile {
  name: string;
  totpSecret: string;
}
type FileMeta = Omit<LeaderFileInput, 'dataBase64'> & { size: number };

interface LeaderSessionState {
  leaderId: string;
  name: string;
  /** The leader's private key, unwrapped by the password: it opens every sealed record. */
  key: KeyObject;
  lastActiveMs: number;
}

const forbidden = (reason: string, message: string, extra: object = {}) =>
  new AppError('FORBIDDEN', message, { reason, ...extra });

/*
 * A record's source (central or local) is in clear beside it and not in its AAD. It is no secret (the
 * kind and leader are in clear too) and it only decides which rows a reset of central's history drops:
 * whoever can flip it on disk can as well delete the row outright, which no AAD prevents either.
 */
const legacyPending = (leaderId: string) =>
  new AppError(
    'CONFLICT',
    `leader ${leaderId} has not signed in since the key upgrade: nothing is sealed for them yet`,
    {
      reason: 'leader_key_upgrade_pending',
      leaderId,
    },
  );

/**
 * The leader secure pane: accounts (an X25519 key pair whose private key only the password's scrypt key
 * unwraps, + TOTP), sessions bound to one window or page that lock after idling, content sealed to the
 * leader's public key (so it arrives while the pane is locked and opens only after sign-in), actions for
 * central (their 批示 sealed for central's key), and the hash-chained audit log. The `leader` role only
 * reaches these methods; this service adds the second factor on top.
 */
export function createLeaderService(deps: {
  store: LeaderStore;
  /** Keys the audit chain: the key lives outside leader.sqlite. */
  auditKeyring: AuditKeyring;
  /**
   * What seals the leader's key wrap and what is sealed to the leader's own key; absent: the default
   * profile. What is sealed for central stays the default box, the only one central opens.
   */
  crypto?: CryptoProfileName;
  /** What keeps the device's secrets: leader content is refused where that is no keychain. */
  secretBackend: SecretBackend;
  now: () => Date;
  idleLockSeconds: number;
  scrypt?: ScryptParams;
  /** Called after each commit that wrote actions or audit rows: forwards them to the device outbox. */
  committed?: () => void;
}) {
  const { store, now } = deps;
  const scryptParams = deps.scrypt ?? DEFAULT_SCRYPT;
  const idleMs = deps.idleLockSeconds * 1000;
  const sessions = new Map<string, LeaderSessionState>();
  /** Why a window's session ended, so the refusal of its next call can say it (idle, screen lock…). */
  const ended = new Map<string, string>();
  // Logins run one at a time, so parallel guesses cannot all slip in before the first failure counts.
  let loginQueue: Promise<unknown> = Promise.resolve();
  const auditChain = createKeyedChain(deps.auditKeyring, 'leader', {
    head: () => store.lastAudit(),
    hashAt: (seq) => store.auditHashAt(seq),
    *links() {
      for (const e of store.auditEntries())
        yield { seq: e.seq, prevHash: e.prevHash, hash: e.hash, payload: auditPayload(e) };
    },
    busy: () => store.busy(),
  });

  /** Appends one audit row, chained to the last; call inside the transaction of what it records. */
  function audit(
    caller: Pick<Caller, 'origin'>,
    leaderId: string | null,
    event: string,
    targetId: string | null,
    detail: AuditDetail = {},
  ): number {
    const last = store.lastAudit();
    const fields = {
      seq: (last?.seq ?? 0) + 1,
      at: now().toISOString(),
      leaderId,
      origin: caller.origin,
      event,
      targetId,
      detail,
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    store.insertAudit({ ...fields, prevHash, hash: auditChain.hash(prevHash, auditPayload(fields)) });
    auditChain.appended();
    return fields.seq;
  }
  function write<T>(fn: () => T): T {
    const result = store.transaction(fn);
    deps.committed?.();
    return result;
  }

  // ------------------------------------------------------------------ sessions

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

  // ------------------------------------------------------------------ content

  function decryptAll<T>(caller: Caller, s: LeaderSessionState, kind: RecordKind): (T & { id: string })[] {
    const out: (T & { id: string })[] = [];
    const unreadable: string[] = [];
    for (const row of store.records(s.leaderId, kind)) {
      try {
        out.push({ ...openJsonBox<T>(s.key, row.body, aad.record(s.leaderId, kind, row.id)), id: row.id });
      } catch (e) {
        if (!(e instanceof CiphertextError)) throw e;
        unreadable.push(row.id);
      }
    }
    // A damaged record is left out of the list (the rest stays usable) and leaves a trace in the audit log.
    if (unreadable.length > 0) {
      write(() => {
        for (const id of unreadable) audit(caller, s.leaderId, 'record.unreadable', id, { kind });
      });
    }
    return out;
  }

  function flags(leaderId: string): Map<string, Set<string>> {
    const map = new Map<string, Set<string>>();
    for (const { target_id, action } of store.actionKinds(leaderId)) {
      const set = map.get(target_id) ?? new Set<string>();
      set.add(action);
      map.set(target_id, set);
    }
    return map;
  }

  function actionView(leaderId: string, key: KeyObject, row: ActionRow): LeaderAction {
    const { comment } = openJsonBox<{ comment: string | null }>(key, row.body, aad.action(leaderId, row.id));
    return { id: row.id, targetId: row.target_id, action: row.action, comment, at: row.at };
  }

  function openOne<T>(s: LeaderSessionState, kind: RecordKind, id: string): T {
    const row = store.record(s.leaderId, id);
    if (!row || row.kind !== kind) throw new AppError('NOT_FOUND', `no ${kind} ${id}`, { reason: `${kind}_not_found` });
    return openJsonBox<T>(s.key, row.body, aad.record(s.leaderId, kind, id));
  }

  function schedule(input: { from: string; to: string }, caller: Caller): ScheduleItem[] {
    const s = requireSession(caller);
    const from = Date.parse(input.from);
    const to = Date.parse(input.to);
    const items = decryptAll<Omit<ScheduleInput, 'id'>>(caller, s, 'schedule')
      .filter((i) => Date.parse(i.start) < to && Date.parse(i.end) > from)
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.id.localeCompare(b.id));
    const conflicts = overlaps(items);
    return items.map((i) => ({ ...i, conflictsWith: conflicts.get(i.id) ?? [] }));
  }

  function briefings(caller: Caller): BriefingSummary[] {
    const s = requireSession(caller);
    const done = flags(s.leaderId);
    return decryptAll<Omit<BriefingInput, 'id'>>(caller, s, 'briefing')
      .map((b) => ({
        id: b.id,
        kind: b.kind,
        title: b.title,
        priority: b.priority,
        publishedAt: b.publishedAt,
        read: done.get(b.id)?.has('read') ?? false,
        approved: done.get(b.id)?.has('approve') ?? false,
      }))
      .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
  }

  function openBriefing(input: { id: string }, caller: Caller): Briefing {
    const s = requireSession(caller);
    const b = openOne<Omit<BriefingInput, 'id'>>(s, 'briefing', input.id);
    write(() => audit(caller, s.leaderId, 'briefing.open', input.id, { kind: b.kind, priority: b.priority }));
    const actions = store.actionsFor(s.leaderId, input.id).map((a) => actionView(s.leaderId, s.key, a));
    return {
      ...b,
      id: input.id,
      read: actions.some((a) => a.action === 'read'),
      approved: actions.some((a) => a.action === 'approve'),
      actions,
    };
  }

  function files(caller: Caller): LeaderFileSummary[] {
    const s = requireSession(caller);
    const done = flags(s.leaderId);
    return decryptAll<FileMeta>(caller, s, 'file')
      .map((f) => ({
        id: f.id,
        name: f.name,
        mime: f.mime,
        classification: f.classification,
        size: f.size,
        publishedAt: f.publishedAt,
        read: done.get(f.id)?.has('read') ?? false,
        approved: done.get(f.id)?.has('approve') ?? false,
      }))
      .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
  }

  function viewFile(input: { id: string }, caller: Caller): LeaderFileView {
    const s = requireSession(caller);
    const meta = openOne<FileMeta>(s, 'file', input.id);
    const blob = store.fileBlob(input.id);
    if (!blob) throw new CiphertextError(aad.blob(s.leaderId, input.id), 'file content missing');
    const bytes = openBox(s.key, blob, aad.blob(s.leaderId, input.id));
    const at = now().toISOString();
    write(() => audit(caller, s.leaderId, 'file.view', input.id, { classification: meta.classification }));
    const actions = store.actionsFor(s.leaderId, input.id).map((a) => actionView(s.leaderId, s.key, a));
    return {
      id: input.id,
      name: meta.name,
      mime: meta.mime,
      classification: meta.classification,
      size: meta.size,
      publishedAt: meta.publishedAt,
      read: actions.some((a) => a.action === 'read'),
      approved: actions.some((a) => a.action === 'approve'),
      dataBase64: bytes.toString('base64'),
      printable: meta.classification === 'internal',
      watermark: { viewer: s.name, at },
      actions,
    };
  }

  function act(
    input: { mutationId: string; targetId: string; action: LeaderAction['action']; comment?: string },
    caller: Caller,
  ): LeaderAction {
    const s = requireSession(caller);
    const seen = store.action(input.mutationId);
    if (seen) {
      if (seen.leader_id !== s.leaderId || seen.target_id !== input.targetId || seen.action !== input.action) {
        throw new AppError('CONFLICT', 'mutation id already used for another action', { reason: 'mutation_reused' });
      }
      return actionView(s.leaderId, s.key, seen);
    }
    const target = store.record(s.leaderId, input.targetId);
    if (!target || target.kind === 'schedule') {
      throw new AppError('NOT_FOUND', `no briefing or file ${input.targetId}`, { reason: 'target_not_found' });
    }
    const account = store.accountById(s.leaderId)!;
    const body = { comment: input.comment ?? null };
    // Sealed for central too when the device knows its key; else at the leader's next sign-in after it does.
    const centralKey = store.centralKey();
    const row: ActionRow = {
      id: input.mutationId,
      leader_id: s.leaderId,
      target_id: input.targetId,
      action: input.action,
      body: sealJsonTo(account.seal_public!, body, aad.action(s.leaderId, input.mutationId), deps.crypto),
      at: now().toISOString(),
      for_central: centralKey ? sealJsonTo(centralKey, body, centralCommentAad(s.leaderId, input.mutationId)) : null,
    };
    write(() => {
      store.insertAction(row);
      audit(caller, s.leaderId, `action.${input.action}`, input.targetId, { kind: target.kind });
    });
    return actionView(s.leaderId, s.key, row);
  }

  // ------------------------------------------------------------------ administration

  async function enrol(
    input: { login: string; name: string; password: string; leaderId?: string },
    caller: Caller,
  ): Promise<LeaderEnrolment> {
    if (store.accountByLogin(input.login)) {
      throw new AppError('CONFLICT', `leader login "${input.login}" exists already`, { reason: 'login_taken' });
    }
    if (input.leaderId && store.accountById(input.leaderId)) {
      throw new AppError('CONFLICT', `leader ${input.leaderId} has an account already`, { reason: 'leader_id_taken' });
    }
    refuseInsecureStorage();
    // Central's id when given: content pulled for that leader is sealed for this account.
    const id = input.leaderId ?? crypto.randomUUID();
    const pair = newSealKeyPair();
    const totpSecret = newTotpSecret();
    const kdfSalt = crypto.randomBytes(16);
    const kek = await deriveKek(input.password, kdfSalt, scryptParams);
    const sealPrivate = wrapKey(kek, pair.privateKey, 'seal-private', deps.crypto);
    pair.privateKey.fill(0);
    kek.fill(0);
    write(() => {
      store.insertAccount({
        id,
        login: input.login,
        profile: sealJsonTo(
          pair.publicKey,
          { name: input.name, totpSecret: totpSecret.toString('base64') } satisfies Profile,
          aad.profile(id),
          deps.crypto,
        ),
        kdfSalt,
        kdfParams: JSON.stringify(scryptParams),
        sealPublic: pair.publicKey,
        sealPrivate,
        at: now().toISOString(),
      });
      audit(caller, id, 'enrol', null);
    });
    return {
      leaderId: id,
      login: input.login,
      otpauthUri: otpauthUri(totpSecret, input.login, TOTP_ISSUER),
      totpSecret: base32Encode(totpSecret),
    };
  }

  function refuseInsecureStorage(): void {
    const refusal = leaderStorageRefusal(deps.secretBackend);
    if (refusal) throw refusal;
  }

  /**
   * Content imported by hand for one leader, sealed to their public key (so it arrives while the pane is
   * locked, and only their password opens it). All of the bundle is written, or none of it. It is
   * this device's own: a restarted central history never drops it, and central's rows never replace it.
   */
  function importContent(bundle: LeaderBundle, caller: Pick<Caller, 'origin'>): LeaderImportResult {
    const account = store.accountByLogin(bundle.leader);
    if (!account) throw new AppError('NOT_FOUND', `no leader "${bundle.leader}"`, { reason: 'leader_not_found' });
    return importFor(account, bundle, 'local', caller);
  }

  function importFor(
    account: AccountRow,
    content: Omit<LeaderBundle, 'leader'>,
    source: RecordSource,
    caller: Pick<Caller, 'origin'>,
  ): LeaderImportResult {
    refuseInsecureStorage();
    const publicKey = account.seal_public;
    if (!publicKey) throw legacyPending(account.id);
    const files = content.files.map((f) => ({ file: f, bytes: checkedFileBytes(f) }));
    const at = now().toISOString();
    // Ids of hand-imported records that central's rows left alone.
    const kept: string[] = [];
    /** False when the id is a hand-imported record and this is central's row: the local one stays. */
    const put = (id: string, kind: RecordKind, value: unknown): boolean => {
      const body = sealJsonTo(publicKey, value, aad.record(account.id, kind, id), deps.crypto);
      if (store.upsertRecord({ id, leaderId: account.id, kind, source, body, at })) return true;
      const there = store.recordOwner(id);
      // Skipped rather than refused, so one such row does not stop the pull of everything after it.
      if (source === 'central' && there?.source === 'local') {
        kept.push(id);
        return false;
      }
      const what = there?.source === 'central' ? 'content pulled from central' : 'other content';
      throw new AppError('CONFLICT', `record ${id} belongs to ${what}`, { reason: 'id_taken', id });
    };
    let removed = 0;
    write(() => {
      for (const { id, ...rest } of content.schedules) put(id, 'schedule', rest);
      for (const { id, ...rest } of content.briefings) put(id, 'briefing', rest);
      for (const { file, bytes } of files) {
        const { id, dataBase64: _drop, ...meta } = file;
        if (put(id, 'file', { ...meta, size: bytes.length })) {
          store.putFileBlob(id, sealTo(publicKey, bytes, aad.blob(account.id, id), deps.crypto));
        }
      }
      for (const id of content.remove) if (store.deleteRecord(id, account.id, source)) removed++;
      const orphanActions = removed > 0 ? store.deleteOrphanActions(account.id) : 0;
      // Leader migration 2 told existing records apart by these rows: event `import`, origin `sync` for the pull.
      audit(caller, account.id, 'import', null, {
        source,
        schedules: content.schedules.length,
        briefings: content.briefings.length,
        files: files.length,
        removed,
        orphanActions,
        keptLocal: kept.length,
      });
      // Each local record central's row did not replace: an id, never content.
      for (const id of kept) audit(caller, account.id, 'import.kept_local', id);
    });
    return {
      schedules: content.schedules.length,
      briefings: content.briefings.length,
      files: files.length,
      removed,
    };
  }

  return {
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
    schedule,
    briefings,
    openBriefing,
    files,
    viewFile,
    act,
    enrol,
    importContent,
    /** Whether this device holds the account of a leader (by central's id): pulled content needs its key. */
    hasAccount: (leaderId: string): boolean => store.accountById(leaderId) !== undefined,
    /**
     * The sync pull's entry: one page of central's content for the leader of this id, validated with the
     * same item schemas as the admin import and sealed the same way (the pane may stay locked).
     */
    importLeaderContent(leaderId: string, content: unknown): LeaderImportResult {
      const account = store.accountById(leaderId);
      if (!account) throw new AppError('NOT_FOUND', `no leader ${leaderId}`, { reason: 'leader_not_found' });
      const parsed = pulledLeaderContentSchema.safeParse(content);
      if (!parsed.success) {
        throw new AppError('INVALID_INPUT', 'invalid leader content from central', {
          reason: 'bad_bundle',
          issues: describeIssues(parsed.error),
        });
      }
      return importFor(account, parsed.data, 'central', { origin: 'sync' });
    },
    /**
     * Central's history restarted, or the device was enrolled again: drop what was pulled of one kind (the
     * full download follows). Content imported by hand stays, central never had it. Actions on the dropped
     * records stay too, since most of them come back with the download; `dropOrphanActions` clears the
     * rest once it is done. Not `toCentral`: the audit row stays in the local chain only, marked as
     * forwarded (the device moved to another hall, whose central must not get the old hall's history).
     */
    dropPulledContent(leaderId: string, kind: RecordKind, opts: { toCentral: boolean }): void {
      if (!store.accountById(leaderId)) return;
      write(() => {
        const removed = store.deleteKind(leaderId, kind, 'central');
        const seq = audit({ origin: 'sync' }, leaderId, 'import.reset', null, { kind, removed });
        if (!opts.toCentral) store.markAuditForwarded(seq);
      });
    },
    /**
     * Read marks, 批示 and approvals whose record is gone (for good: call once central's content is all
     * here), already forwarded to central. The audit rows naming such records stay: they are history, and
     * the hash chain forbids changing them.
     */
    dropOrphanActions(leaderId: string): number {
      if (!store.accountById(leaderId)) return 0;
      const dropped = store.transaction(() => {
        const n = store.deleteOrphanActions(leaderId);
        if (n > 0) audit({ origin: 'sync' }, leaderId, 'actions.orphaned', null, { dropped: n });
        return n;
      });
      if (dropped > 0) deps.committed?.();
      return dropped;
    },
    /** Rewritten rows (even with their hashes recomputed), missing rows and a cut-off end all fail. */
    verifyAudit: (): AuditVerification => auditChain.verify(),
    /** What the next push anchors at central. */
    auditHead: () => auditChain.head(),
    /**
     * Central's public key for 批示, as enrolment gave it (null: that central has none). Actions not yet
     * forwarded and not yet sealed are sealed for it at their leader's next sign-in.
     */
    learnCentralKey(key: Buffer | null): void {
      store.setCentralKey(key, now().toISOString());
    },
    /** Whether leader content may be kept on this device, and what keeps its secrets (for the admin page). */
    storage: (): LeaderStorage => ({
      allowed: leaderStorageRefusal(deps.secretBackend) === null,
      backend: deps.secretBackend,
    }),
  };
}
export type LeaderService = ReturnType<typeof createLeaderService>;
