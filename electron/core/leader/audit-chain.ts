import crypto from 'node:crypto';
import {
  auditHashWith,
  verifyChainWith,
  type AuditEntry,
  type AuditFields,
  type ChainVerdict,
} from '@shared/leader/audit-chain';

export { auditPayload, canonicalJson, GENESIS_HASH } from '@shared/leader/audit-chain';
export type { AuditDetail, AuditEntry, AuditFields, ChainVerdict } from '@shared/leader/audit-chain';

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

export const auditHash = (prevHash: string, row: AuditFields): string => auditHashWith(sha256, prevHash, row);

/** Walks the chain from the genesis: each row must link to its predecessor and hash to what it says. */
export const verifyChain = (rows: Iterable<AuditEntry>): ChainVerdict => verifyChainWith(sha256, rows);
