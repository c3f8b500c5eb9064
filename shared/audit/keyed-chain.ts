import { z } from 'zod';

/**
 * The device's two append-only audit chains: the staff audit log (device.sqlite) and the leader pane's
 * (leader.sqlite). Each row's hash is `digest(prevHash + payload)`: SHA-256 for the rows written before the
 * device had an audit key, a keyed MAC (HMAC-SHA-256, or HMAC-SM3 under the SM profile) under a device
 * secret kept outside the database from `keyedFrom` on, so whoever holds only the SQLite file cannot rewrite
 * rows and recompute a chain that still verifies.
 */
export const AUDIT_CHAINS = ['staff', 'leader'] as const;
export const auditChainSchema = z.enum(AUDIT_CHAINS);
export type AuditChainName = z.infer<typeof auditChainSchema>;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * A chain's head as the device reports it with every push, so central can anchor it: its last row (seq 0
 * and the genesis hash when empty) and the first keyed row.
 */
export const auditHeadSchema = z
  .object({
    chain: auditChainSchema,
    seq: z.number().int().min(0),
    hash: hex64,
    keyedFrom: z.number().int().min(1),
  })
  .strict();
export type AuditHead = z.infer<typeof auditHeadSchema>;

/** What central found wrong with a pushed head; the push itself still applies. */
export const AUDIT_ALARM_KINDS = ['TRUNCATED', 'REWRITTEN', 'REKEYED'] as const;
export const auditAlarmSchema = z.object({
  chain: auditChainSchema,
  kind: z.enum(AUDIT_ALARM_KINDS),
  reason: z.string(),
});
export type AuditAlarm = z.infer<typeof auditAlarmSchema>;

/** Hex digest of a UTF-8 string: injected, since shared/ cannot reach node:crypto. */
export type HexDigest = (text: string) => string;

export const CHAIN_GENESIS = '0'.repeat(64);

/** One row as its chain sees it: `payload` is the canonical JSON the row's hash covers. */
export interface ChainLink {
  seq: number;
  prevHash: string;
  hash: string;
  payload: string;
  /** Plain digest of prevHash + payload, sent along with a keyed row for whoever lacks the key. */
  contentHash?: string | null;
}

export interface KeyedChainVerdict {
  ok: boolean;
  entries: number;
  /** The first row hashed with the device key (rows before it are reported as unkeyed), null if unknown. */
  keyedFromSeq: number | null;
  /** Rows from before the device had an audit key: their plain hashes prove order, not authorship. */
  unkeyedEntries: number;
  firstBrokenSeq: number | null;
  reason: string | null;
}

export interface ChainKeying {
  /** For the rows before `keyedFrom`. */
  plain: HexDigest;
  /**
   * The keyed digest of the row at `seq` (its MAC depends on when the device's profile chose it); null where
   * the key is not held (central): keyed rows are then checked by their content hash.
   */
  keyed: ((text: string, seq: number) => string) | null;
  /** The first keyed seq; null: no key record for this chain, so nothing in it is trusted as keyed. */
  keyedFrom: number | null;
  /** The head last seen committed, kept outside the database: rows cut off the end show against it. */
  head?: { seq: number; hash: string };
}

/**
 * Walks a chain from the genesis: every row must follow the one before it, link to its hash and hash to
 * what it says with the digest of its part of the chain; then the rows must reach the recorded head.
 */
export function verifyKeyedChain(rows: Iterable<ChainLink>, k: ChainKeying): KeyedChainVerdict {
  const keyedFrom = k.keyedFrom ?? Number.POSITIVE_INFINITY;
  let prev = CHAIN_GENESIS;
  let expected = 1;
  let entries = 0;
  let unkeyed = 0;
  const verdict = (firstBrokenSeq: number | null, reason: string | null): KeyedChainVerdict => ({
    ok: reason === null,
    entries,
    keyedFromSeq: k.keyedFrom,
    unkeyedEntries: unkeyed,
    firstBrokenSeq,
    reason,
  });
  for (const row of rows) {
    entries++;
    if (row.seq !== expected) return verdict(row.seq, `row ${row.seq} follows row ${expected - 1}: rows are missing`);
    if (row.prevHash !== prev) return verdict(row.seq, `row ${row.seq} does not link to the row before it`);
    const isKeyed = row.seq >= keyedFrom;
    if (!isKeyed) unkeyed++;
    const changed = !isKeyed
      ? k.plain(prev + row.payload) !== row.hash
      : k.keyed
        ? k.keyed(prev + row.payload, row.seq) !== row.hash
        : !row.contentHash || k.plain(prev + row.payload) !== row.contentHash;
    if (changed) return verdict(row.seq, `row ${row.seq} was changed after it was written`);
    if (k.head && row.seq === k.head.seq && row.hash !== k.head.hash) {
      return verdict(row.seq, `row ${row.seq} is not the row the chain had reached: the end was rewritten`);
    }
    prev = row.hash;
    expected++;
  }
  const last = expected - 1;
  if (k.keyedFrom === null) return verdict(null, 'no audit key record for this chain: its rows are not keyed');
  if (last < k.keyedFrom - 1) {
    return verdict(last + 1, `rows ${last + 1} to ${k.keyedFrom - 1} are missing: the chain was keyed after them`);
  }
  if (k.head && last < k.head.seq) {
    return verdict(last + 1, `rows ${last + 1} to ${k.head.seq} are missing: the chain had reached row ${k.head.seq}`);
  }
  return verdict(null, null);
}
