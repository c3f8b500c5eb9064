import crypto from 'node:crypto';
import { DEMO_ID_HASH_KEY } from '@shared/config';

/** The configured lookup key as bytes (hex or base64, validated by the config schema); the demo key when absent. */
export function idHashKey(configured: string | undefined): Buffer {
  const key = configured ?? DEMO_ID_HASH_KEY;
  return Buffer.from(key, /^(?:[0-9a-fA-F]{2})+$/.test(key) ? 'hex' : 'base64');
}

/**
 * The lookup hash of an identity: HMAC-SHA256 over type and normalised number. Keyed, because a plain
 * hash of a resident ID can be reversed by trying every region, birth date and sequence number.
 */
export function hashApplicantId(key: Buffer, idType: string, idNumber: string): string {
  return crypto.createHmac('sha256', key).update(`${idType}:${idNumber.trim().toUpperCase()}`).digest('hex');
}
