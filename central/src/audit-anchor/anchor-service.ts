import crypto from 'node:crypto';
import type { AuditAlarm, AuditHead, KeyedChainVerdict } from '@shared/audit/keyed-chain';
import { verifyKeyedChain } from '@shared/audit/keyed-chain';
import { auditPayload, verifyChainWith } from '@shared/leader/audit-chain';
import type { Db, Tx } from '../db/pool';
import { leaderStore } from '../store/leader-store';
import { anchorStore, type Anchor } from './anchor-store';

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * What is wrong with a pushed head against the anchor central holds and the rows the device pushed:
 * a head that went back (rows cut off), a different row at an anchored seq, a pushed row that does not
 * link to the one before it (rows rewritten after they were pushed), or a chain keyed anew.
 */
async function findings(
  tx: Tx,
  deviceId: string,
  prev: Anchor | undefined,
  head: AuditHead,
): Promise<{ alarms: AuditAlarm[]; headStands: boolean }> {
  const out: AuditAlarm[] = [];
  const alarm = (kind: AuditAlarm['kind'], reason: string) => out.push({ chain: head.chain, kind, reason });
  if (prev && head.seq < prev.seq) {
    alarm('TRUNCATED', `the chain's head went back from row ${prev.seq} to row ${head.seq}`);
  } else if (prev && head.seq === prev.seq && head.hash !== prev.hash) {
    alarm('REWRITTEN', `row ${head.seq} is not the row anchored at that seq`);
  }
  if (prev && head.keyedFrom !== prev.keyedFrom) {
    alarm('REKEYED', `keyed rows began at ${prev.keyedFrom}, now at ${head.keyedFrom}: the chain was started anew`);
  }
  const from = Math.max(1, Math.min(prev?.seq ?? 1, head.seq));
  const held = await anchorStore.held(tx, head.chain, deviceId, from, Math.max(prev?.seq ?? 0, head.seq));
  const bySeq = new Map(held.map((r) => [r.seq, r]));
  const rewritten = (reason: string) => {
    if (!out.some((a) => a.kind === 'REWRITTEN')) alarm('REWRITTEN', reason);
  };
  const atHead = bySeq.get(head.seq);
  const headContradicted = atHead !== undefined && atHead.hash !== head.hash;
  if (headContradicted) rewritten(`the head row ${head.seq} is not the row the device pushed`);
  const atAnchor = prev && bySeq.get(prev.seq);
  if (prev && atAnchor && atAnchor.hash !== prev.hash) {
    rewritten(`row ${prev.seq} as pushed is not the row anchored earlier at that seq`);
  }
  for (const r of held) {
    const before = bySeq.get(r.seq - 1);
    if (before && before.hash !== r.prevHash) {
      rewritten(`row ${r.seq} does not link to row ${r.seq - 1} as pushed: rows before it were rewritten`);
    }
  }
  return { alarms: out, headStands: !headContradicted };
}

/**
 * Anchors each pushed head in the push's own transaction, after its log rows, in a savepoint: a failure
 * to anchor is rolled back alone and the batch still commits (an alarm never costs the device its
 * mutations). Returns what was found wrong, each finding also kept as an alarm row, or why anchoring failed.
 */
export async function anchorHeads(
  tx: Tx,
  device: { id: string; hallId: string },
  heads: readonly AuditHead[],
): Promise<{ alarms: AuditAlarm[]; failure?: unknown }> {
  if (heads.length === 0) return { alarms: [] };
  await tx.query('SAVEPOINT anchor');
  try {
    const alarms: AuditAlarm[] = [];
    for (const head of heads) {
      const prev = await anchorStore.lockAnchor(tx, device.id, head.chain);
      const found = await findings(tx, device.id, prev, head);
      for (const a of found.alarms) {
        await anchorStore.raise(tx, device, head, prev, a);
        alarms.push(a);
      }
      // The alarm keeps the earlier head; otherwise the anchor follows the device, so one cut is one alarm.
      // A head that the rows the device pushed contradict is not its chain: the anchor stays.
      if (found.headStands) await anchorStore.setAnchor(tx, device.id, head);
    }
    await tx.query('RELEASE SAVEPOINT anchor');
    return { alarms };
  } catch (failure) {
    await tx.query('ROLLBACK TO SAVEPOINT anchor');
    return { alarms: [], failure };
  }
}

/**
 * Recomputes a leader device's audit chain as central holds it. Central has no device key: rows from the
 * anchored `keyedFrom` on are checked for order, links and their plain content hash; older ones as before.
 */
export async function verifyLeaderAudit(db: Db, deviceId: string): Promise<KeyedChainVerdict> {
  const rows = await leaderStore.auditOf(db, deviceId);
  const anchor = await anchorStore.anchor(db, deviceId, 'leader');
  if (!anchor) {
    // A device from before keyed audit: every row it pushed is a plain hash.
    const v = verifyChainWith(sha256, rows);
    return { ...v, keyedFromSeq: null, unkeyedEntries: v.entries };
  }
  const links = rows.map((e) => ({ ...e, payload: auditPayload(e) }));
  return verifyKeyedChain(links, { plain: sha256, keyed: null, keyedFrom: anchor.keyedFrom });
}
