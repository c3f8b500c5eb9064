import crypto from 'node:crypto';

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

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with sorted keys at every level, so the same row always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function auditHash(prevHash: string, row: AuditFields): string {
  const { seq, at, leaderId, origin, event, targetId, detail } = row;
  return crypto
    .createHash('sha256')
    .update(prevHash)
    .update(canonicalJson({ seq, at, leaderId, origin, event, targetId, detail }))
    .digest('hex');
}

export interface ChainVerdict {
  ok: boolean;
  entries: number;
  firstBrokenSeq: number | null;
  reason: string | null;
}

/** Walks the chain from the genesis: each row must link to its predecessor and hash to what it says. */
export function verifyChain(rows: Iterable<AuditEntry>): ChainVerdict {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  for (const row of rows) {
    entries++;
    const broken = (reason: string): ChainVerdict => ({ ok: false, entries, firstBrokenSeq: row.seq, reason });
    if (row.seq !== expectedSeq) return broken(`row ${row.seq} follows row ${expectedSeq - 1}: rows are missing`);
    if (row.prevHash !== prev) return broken(`row ${row.seq} does not link to the row before it`);
    if (auditHash(prev, row) !== row.hash) return broken(`row ${row.seq} was changed after it was written`);
    prev = row.hash;
    expectedSeq++;
  }
  return { ok: true, entries, firstBrokenSeq: null, reason: null };
}
