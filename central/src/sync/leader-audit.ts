import crypto from 'node:crypto';
import { verifyChainWith, type ChainVerdict } from '@shared/leader/audit-chain';
import type { Db } from '../db/pool';
import { leaderStore } from '../store/leader-store';

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * Recomputes one leader device's audit chain as central holds it, with the device's own hash function:
 * a row changed, dropped or inserted at central (or forged on the way) breaks it at that row.
 */
export async function verifyDeviceAudit(db: Db, deviceId: string): Promise<ChainVerdict> {
  return verifyChainWith(sha256, await leaderStore.auditOf(db, deviceId));
}
