import crypto from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { canonicalJson } from '@shared/leader/audit-chain';
import type { AuditEntry, AuditVerifyResult } from '@shared/api/methods/identity';
import type { IdentityMutationArgs } from '@shared/sync/mutations/identity';
import type { OutboxStore } from '../store/outbox-store';
import { createKeyedChain, type AuditKeyring } from '../audit/keyed-chain';

type AuditFields = Omit<AuditEntry, 'id' | 'seq'>;
export type AuditInput = Omit<AuditFields, 'at'>;

const GENESIS = '0'.repeat(64);
const payloadOf = (seq: number, f: AuditFields) => canonicalJson({ seq, ...f });

interface Row {
  seq: number;
  id: string;
  at: string;
  action: AuditEntry['action'];
  actor_staff_id: string | null;
  actor_login: string | null;
  origin: string;
  target: string | null;
  outcome: AuditEntry['outcome'];
  detail: string;
  prev_hash: string;
  hash: string;
}
const toEntry = (r: Row): AuditEntry & { prevHash: string; hash: string } => ({
  id: r.id,
  seq: r.seq,
  at: r.at,
  action: r.action,
  actorStaffId: r.actor_staff_id,
  actorLogin: r.actor_login,
  origin: r.origin,
  target: r.target,
  outcome: r.outcome,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/**
 * The device's audit log of who did what: sign-ins, failures, lockouts, account and admin changes.
 * Append-only (triggers refuse UPDATE and DELETE), chained with the device's audit key like the leader
 * pane's, and each row goes to central in the outbox of the same transaction, so a copy outside this disk
 * exists; each push anchors the chain's head there.
 */
export function createAuditLog(deps: { db: Database; outbox: OutboxStore; now: () => Date; keyring: AuditKeyring }) {
  const { db, outbox, now } = deps;
  const last = db.prepare<[], { seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
  );
  const hashAt = db.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?');
  const insert = db.prepare(`
    INSERT INTO audit_log (seq, id, at, action, actor_staff_id, actor_login, origin, target, outcome, detail,
      prev_hash, hash)
    VALUES (@seq, @id, @at, @action, @actorStaffId, @actorLogin, @origin, @target, @outcome, @detail, @prevHash, @hash)`);
  const page = db.prepare<[number, number], Row>('SELECT * FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?');
  const all = db.prepare<[], Row>('SELECT * FROM audit_log ORDER BY seq');
  const chain = createKeyedChain(deps.keyring, 'staff', {
    head: () => last.get(),
    hashAt: (seq) => hashAt.get(seq)?.hash,
    *links() {
      for (const r of all.iterate()) {
        const { id: _id, seq, prevHash, hash, ...fields } = toEntry(r);
        yield { seq, prevHash, hash, payload: payloadOf(seq, fields) };
      }
    },
    busy: () => !db.open || db.inTransaction,
  });

  /** Appends one row; inside the caller's transaction when there is one, so it commits with what it records. */
  function record(input: AuditInput): void {
    db.transaction(() => {
      const at = now();
      const prev = last.get();
      const seq = (prev?.seq ?? 0) + 1;
      const prevHash = prev?.hash ?? GENESIS;
      const fields: AuditFields = { ...input, at: at.toISOString() };
      const hash = chain.hash(prevHash, payloadOf(seq, fields));
      const id = crypto.randomUUID();
      insert.run({ ...fields, seq, id, detail: JSON.stringify(fields.detail), prevHash, hash });
      const args: IdentityMutationArgs<'audit.record@1'> = { auditId: id, seq, hash, prevHash, ...fields };
      outbox.append({ name: 'audit.record', version: 1, args, entityId: id }, at);
    }).immediate();
    chain.appended();
  }

  return {
    record,
    list: (limit: number, beforeSeq?: number): AuditEntry[] =>
      page.all(beforeSeq ?? Number.MAX_SAFE_INTEGER, limit).map((r) => {
        const { prevHash: _p, hash: _h, ...entry } = toEntry(r);
        return entry;
      }),
    /** Rewritten rows (even with their hashes recomputed), missing rows and a cut-off end all fail. */
    verify(): AuditVerifyResult {
      const v = chain.verify();
      return {
        ok: v.ok,
        rows: v.entries,
        brokenAtSeq: v.firstBrokenSeq,
        keyedFromSeq: v.keyedFromSeq,
        unkeyedRows: v.unkeyedEntries,
        reason: v.reason,
      };
    },
    /** What the next push anchors at central. */
    head: () => chain.head(),
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;
