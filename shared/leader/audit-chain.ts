export type AuditDetail = Record<string, string | number | boolean | null>;

/** One audit row as hashed: no content text, only who, when, what and which id. */
export interface AuditFields {
  seq: number;
  at: string;
  leaderId: string | null;
  origin: string;
  event: string;
  targetId: string | null;
  detail: AuditDetail;
}
export interface AuditEntry extends AuditFields {
  prevHash: string;
  hash: string;
}

/** SHA-256 of a UTF-8 string as hex: injected, since shared/ cannot reach node:crypto. */
export type Sha256Hex = (text: string) => string;

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with sorted keys at every level, so the same row always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The hash of a row: the device writes it and central re-verifies it with this same function. */
export function auditHashWith(sha256: Sha256Hex, prevHash: string, row: AuditFields): string {
  return sha256(prevHash + auditPayload(row));
}

/** What a row's hash (plain or keyed) covers after the previous hash. */
export function auditPayload(row: AuditFields): string {
  const { seq, at, leaderId, origin, event, targetId, detail } = row;
  return canonicalJson({ seq, at, leaderId, origin, event, targetId, detail });
}

export interface ChainVerdict {
  ok: boolean;
  entries: number;
  firstBrokenSeq: number | null;
  reason: string | null;
}

/** Walks the chain from the genesis: each row must link to its predecessor and hash to what it says. */
export function verifyChainWith(sha256: Sha256Hex, rows: Iterable<AuditEntry>): ChainVerdict {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  for (const row of rows) {
    entries++;
    const broken = (reason: string): ChainVerdict => ({ ok: false, entries, firstBrokenSeq: row.seq, reason });
    if (row.seq !== expectedSeq) return broken(`row ${row.seq} follows row ${expectedSeq - 1}: rows are missing`);
    if (row.prevHash !== prev) return broken(`row ${row.seq} does not link to the row before it`);
    if (auditHashWith(sha256, prev, row) !== row.hash) return broken(`row ${row.seq} was changed after it was written`);
    prev = row.hash;
    expectedSeq++;
  }
  return { ok: true, entries, firstBrokenSeq: null, reason: null };
}
