import type { Database } from 'better-sqlite3';
import type { AuditDetail, AuditEntry } from '../leader/audit-chain';

export type RecordKind = 'schedule' | 'briefing' | 'file';
export type ActionKind = 'read' | 'comment' | 'approve';
/** Where a record came from: pulled from central, or imported by hand on this device. */
export type RecordSource = 'central' | 'local';

export interface AccountRow {
  id: string;
  login: string;
  profile: Buffer;
  kdf_salt: Buffer;
  kdf_params: string;
  /** Legacy (before leader migration 3): the data key, empty once the account is converted. */
  dek_by_password: Buffer;
  dek_by_device: Buffer;
  /** Null until a legacy account's first sign-in converts it. */
  seal_public: Buffer | null;
  seal_private_by_password: Buffer | null;
  last_totp_step: number;
  failed_logins: number;
  locked_until_ms: number;
}
export interface RecordRow {
  id: string;
  leader_id: string;
  kind: RecordKind;
  source: RecordSource;
  body: Buffer;
}
export interface ActionRow {
  id: string;
  leader_id: string;
  target_id: string;
  action: ActionKind;
  body: Buffer;
  at: string;
  /** The comment sealed for central; null while the device knows no central key. */
  for_central: Buffer | null;
}
interface AuditRow {
  seq: number;
  at: string;
  leader_id: string | null;
  origin: string;
  event: string;
  target_id: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

const toAudit = (r: AuditRow): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  leaderId: r.leader_id,
  origin: r.origin,
  event: r.event,
  targetId: r.target_id,
  detail: JSON.parse(r.detail) as AuditDetail,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** All SQL of leader.sqlite. Bodies arrive sealed; this module never sees a key or plaintext. */
export function createLeaderStore(db: Database) {
  const q = {
    accountByLogin: db.prepare<[string], AccountRow>('SELECT * FROM leader_account WHERE login = ?'),
    accountById: db.prepare<[string], AccountRow>('SELECT * FROM leader_account WHERE id = ?'),
    // The legacy data-key columns are NOT NULL in migration 1: an empty value says there is none.
    insertAccount: db.prepare(`
      INSERT INTO leader_account (id, login, profile, kdf_salt, kdf_params, dek_by_password, dek_by_device,
        seal_public, seal_private_by_password, created_at, password_changed_at)
      VALUES (@id, @login, @profile, @kdfSalt, @kdfParams, X'', X'', @sealPublic, @sealPrivate, @at, @at)`),
    convert: db.prepare(`
      UPDATE leader_account SET profile = @profile, dek_by_password = X'', dek_by_device = X'',
        seal_public = @sealPublic, seal_private_by_password = @sealPrivate WHERE id = @id`),
    setRecordBody: db.prepare('UPDATE leader_record SET body = ? WHERE id = ?'),
    allRecords: db.prepare<[string], RecordRow>(
      'SELECT id, leader_id, kind, source, body FROM leader_record WHERE leader_id = ? ORDER BY id',
    ),
    allActions: db.prepare<[string], ActionRow>('SELECT * FROM leader_action WHERE leader_id = ? ORDER BY at, id'),
    setActionBodies: db.prepare('UPDATE leader_action SET body = ?, for_central = ? WHERE id = ?'),
    unsealedForCentral: db.prepare<[string], ActionRow>(
      'SELECT * FROM leader_action WHERE leader_id = ? AND forwarded = 0 AND for_central IS NULL ORDER BY at, id',
    ),
    setForCentral: db.prepare('UPDATE leader_action SET for_central = ? WHERE id = ? AND for_central IS NULL'),
    centralKey: db.prepare<[], { public_key: Buffer }>('SELECT public_key FROM leader_central_key WHERE id = 1'),
    putCentralKey: db.prepare(`
      INSERT INTO leader_central_key (id, public_key, learned_at) VALUES (1, ?, ?)
      ON CONFLICT (id) DO UPDATE SET public_key = excluded.public_key, learned_at = excluded.learned_at`),
    dropCentralKey: db.prepare('DELETE FROM leader_central_key'),
    failure: db.prepare('UPDATE leader_account SET failed_logins = ?, locked_until_ms = ? WHERE id = ?'),
    success: db.prepare(
      'UPDATE leader_account SET failed_logins = 0, locked_until_ms = 0, last_totp_step = ? WHERE id = ?',
    ),
    useStep: db.prepare('UPDATE leader_account SET last_totp_step = ? WHERE id = ?'),
    rewrap: db.prepare(`
      UPDATE leader_account SET kdf_salt = @kdfSalt, kdf_params = @kdfParams,
        seal_private_by_password = @sealPrivate, password_changed_at = @at WHERE id = @id`),
    upsertRecord: db.prepare(`
      INSERT INTO leader_record (id, leader_id, kind, body, updated_at, source)
      VALUES (@id, @leaderId, @kind, @body, @at, @source)
      ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at
      WHERE leader_record.leader_id = excluded.leader_id AND leader_record.kind = excluded.kind
        AND leader_record.source = excluded.source`),
    deleteRecord: db.prepare('DELETE FROM leader_record WHERE id = ? AND leader_id = ? AND source = ?'),
    deleteKind: db.prepare('DELETE FROM leader_record WHERE leader_id = ? AND kind = ? AND source = ?'),
    deleteOrphanActions: db.prepare(`
      DELETE FROM leader_action
      WHERE leader_id = ? AND forwarded = 1
        AND NOT EXISTS (SELECT 1 FROM leader_record r WHERE r.id = target_id AND r.leader_id = leader_action.leader_id)`),
    records: db.prepare<[string, RecordKind], RecordRow>(
      'SELECT id, leader_id, kind, source, body FROM leader_record WHERE leader_id = ? AND kind = ? ORDER BY id',
    ),
    record: db.prepare<[string, string], RecordRow>(
      'SELECT id, leader_id, kind, source, body FROM leader_record WHERE id = ? AND leader_id = ?',
    ),
    recordOwner: db.prepare<[string], Pick<RecordRow, 'leader_id' | 'kind' | 'source'>>(
      'SELECT leader_id, kind, source FROM leader_record WHERE id = ?',
    ),
    putBlob: db.prepare(
      'INSERT INTO leader_file_blob (record_id, data) VALUES (?, ?) ON CONFLICT (record_id) DO UPDATE SET data = excluded.data',
    ),
    blob: db.prepare<[string], { data: Buffer }>('SELECT data FROM leader_file_blob WHERE record_id = ?'),
    insertAction: db.prepare(`
      INSERT INTO leader_action (id, leader_id, target_id, action, body, at, for_central)
      VALUES (@id, @leader_id, @target_id, @action, @body, @at, @for_central)`),
    action: db.prepare<[string], ActionRow>('SELECT * FROM leader_action WHERE id = ?'),
    actionsFor: db.prepare<[string, string], ActionRow>(
      'SELECT * FROM leader_action WHERE leader_id = ? AND target_id = ? ORDER BY at, id',
    ),
    actionKinds: db.prepare<[string], { target_id: string; action: ActionKind }>(
      'SELECT DISTINCT target_id, action FROM leader_action WHERE leader_id = ?',
    ),
    unforwardedActions: db.prepare<[number], ActionRow>(
      // One not yet sealed for central waits (for a central key, or a legacy one for the leader's sign-in).
      'SELECT * FROM leader_action WHERE forwarded = 0 AND for_central IS NOT NULL ORDER BY at, id LIMIT ?',
    ),
    actionForwarded: db.prepare('UPDATE leader_action SET forwarded = 1 WHERE id = ?'),
    lastAudit: db.prepare<[], { seq: number; hash: string }>(
      'SELECT seq, hash FROM leader_audit ORDER BY seq DESC LIMIT 1',
    ),
    insertAudit: db.prepare(`
      INSERT INTO leader_audit (seq, at, leader_id, origin, event, target_id, detail, prev_hash, hash)
      VALUES (@seq, @at, @leaderId, @origin, @event, @targetId, @detail, @prevHash, @hash)`),
    audit: db.prepare<[], AuditRow>('SELECT * FROM leader_audit ORDER BY seq'),
    auditHashAt: db.prepare<[number], { hash: string }>('SELECT hash FROM leader_audit WHERE seq = ?'),
    unforwardedAudit: db.prepare<[number], AuditRow>(
      'SELECT * FROM leader_audit WHERE forwarded = 0 ORDER BY seq LIMIT ?',
    ),
    auditForwarded: db.prepare('UPDATE leader_audit SET forwarded = 1 WHERE seq = ?'),
  };

  return {
    /** Runs `fn` in one BEGIN IMMEDIATE transaction: all of it is written, or none. */
    transaction<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },
    accountByLogin: (login: string) => q.accountByLogin.get(login),
    accountById: (id: string) => q.accountById.get(id),
    insertAccount(a: {
      id: string;
      login: string;
      profile: Buffer;
      kdfSalt: Buffer;
      kdfParams: string;
      sealPublic: Buffer;
      sealPrivate: Buffer;
      at: string;
    }): void {
      q.insertAccount.run(a);
    },
    /** A legacy account now sealed to its key pair: the data key's wrappings are gone with this. */
    convertAccount: (a: { id: string; profile: Buffer; sealPublic: Buffer; sealPrivate: Buffer }) => q.convert.run(a),
    /** Every record of a leader, of all kinds (for the conversion of a legacy account). */
    allRecords: (leaderId: string) => q.allRecords.all(leaderId),
    setRecordBody: (id: string, body: Buffer) => q.setRecordBody.run(body, id),
    allActions: (leaderId: string) => q.allActions.all(leaderId),
    setActionBodies: (id: string, body: Buffer, forCentral: Buffer | null) =>
      q.setActionBodies.run(body, forCentral, id),
    /** A leader's actions still waiting to be sealed for central. */
    unsealedForCentral: (leaderId: string) => q.unsealedForCentral.all(leaderId),
    setForCentral: (id: string, sealed: Buffer) => q.setForCentral.run(sealed, id),
    centralKey: (): Buffer | undefined => q.centralKey.get()?.public_key,
    /** Central's key for 批示 as the last enrolment gave it; null: that central gave none. */
    setCentralKey(key: Buffer | null, at: string): void {
      if (key) q.putCentralKey.run(key, at);
      else q.dropCentralKey.run();
    },
    recordFailure: (id: string, failures: number, lockedUntilMs: number) => q.failure.run(failures, lockedUntilMs, id),
    recordSuccess: (id: string, totpStep: number) => q.success.run(totpStep, id),
    useTotpStep: (id: string, totpStep: number) => q.useStep.run(totpStep, id),
    rewrapPassword(a: { id: string; kdfSalt: Buffer; kdfParams: string; sealPrivate: Buffer; at: string }): void {
      q.rewrap.run(a);
    },
    /**
     * False when the id belongs to another leader, kind or source: the record there stays as it is (content
     * of one source never replaces the other's).
     */
    upsertRecord: (r: {
      id: string;
      leaderId: string;
      kind: RecordKind;
      source: RecordSource;
      body: Buffer;
      at: string;
    }): boolean => q.upsertRecord.run(r).changes === 1,
    /** Only a record of that source: a withdrawal by central never removes a hand-imported one. */
    deleteRecord: (id: string, leaderId: string, source: RecordSource): boolean =>
      q.deleteRecord.run(id, leaderId, source).changes === 1,
    /** Every record of one kind and source of a leader (file bytes go with them); returns how many. */
    deleteKind: (leaderId: string, kind: RecordKind, source: RecordSource): number =>
      q.deleteKind.run(leaderId, kind, source).changes,
    /**
     * A leader's read marks, 批示 and approvals of records that no longer exist, once central has them;
     * one not yet forwarded stays until it is. Returns how many.
     */
    deleteOrphanActions: (leaderId: string): number => q.deleteOrphanActions.run(leaderId).changes,
    records: (leaderId: string, kind: RecordKind) => q.records.all(leaderId, kind),
    record: (leaderId: string, id: string) => q.record.get(id, leaderId),
    /** Whose record an id is, of any leader: no body. */
    recordOwner: (id: string) => q.recordOwner.get(id),
    putFileBlob: (recordId: string, data: Buffer) => q.putBlob.run(recordId, data),
    fileBlob: (recordId: string) => q.blob.get(recordId)?.data,
    insertAction: (a: ActionRow) => q.insertAction.run(a),
    action: (id: string) => q.action.get(id),
    actionsFor: (leaderId: string, targetId: string) => q.actionsFor.all(leaderId, targetId),
    /** Which targets were read / commented / approved: the flags of the lists, without opening any body. */
    actionKinds: (leaderId: string) => q.actionKinds.all(leaderId),
    unforwardedActions: (limit: number) => q.unforwardedActions.all(limit),
    markActionForwarded: (id: string) => q.actionForwarded.run(id),
    lastAudit: () => q.lastAudit.get(),
    auditHashAt: (seq: number) => q.auditHashAt.get(seq)?.hash,
    /** Inside a transaction or closed: what the audit table shows may not be committed. */
    busy: () => !db.open || db.inTransaction,
    insertAudit: (e: AuditEntry) => q.insertAudit.run({ ...e, detail: JSON.stringify(e.detail) }),
    *auditEntries(): Generator<AuditEntry> {
      for (const r of q.audit.iterate()) yield toAudit(r);
    },
    unforwardedAudit: (limit: number) => q.unforwardedAudit.all(limit).map(toAudit),
    markAuditForwarded: (seq: number) => q.auditForwarded.run(seq),
  };
}
export type LeaderStore = ReturnType<typeof createLeaderStore>;
