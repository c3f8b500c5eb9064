import type { Caller } from '../api/caller';
import { createKeyedChain, type AuditKeyring } from '../audit/keyed-chain';
import type { CryptoProfileName } from '@shared/crypto/profile';
import { auditPayload, GENESIS_HASH, type AuditDetail } from './audit-chain';
import { DEFAULT_SCRYPT, type ScryptParams } from './crypto';
import { leaderStorageRefusal, type SecretBackend } from './storage-policy';
import type { LeaderStore } from '../store/leader-store';

export interface Profile {
  name: string;
  totpSecret: string;
}

export interface LeaderPaneDeps {
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
}

/**
 * What every part of the leader pane shares: the hash-chained audit log, the write that forwards what it
 * committed, and the refusal of leader content where no keychain keeps the device's secrets.
 */
export function createPaneCore(deps: LeaderPaneDeps) {
  const { store, now } = deps;
  const scryptParams = deps.scrypt ?? DEFAULT_SCRYPT;
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

  function refuseInsecureStorage(): void {
    const refusal = leaderStorageRefusal(deps.secretBackend);
    if (refusal) throw refusal;
  }

  return { deps, store, now, scryptParams, auditChain, audit, write, refuseInsecureStorage };
}
export type PaneCore = ReturnType<typeof createPaneCore>;
