import { describe, expect, it } from 'vitest';
import { CRYPTO_PROFILES } from '@shared/crypto/profile';
import {
  CiphertextError,
  deriveKek,
  newDataKey,
  open,
  openJson,
  seal as sealWith,
  sealJson as sealJsonWith,
  unwrapKey,
  wrapKey as wrapKeyWith,
} from '../../electron/core/leader/crypto';
import { lockoutDelayMs } from '../../electron/core/leader/lockout';

/** The format byte a sealed blob starts with: 1 AES-256-GCM, 2 SM4-GCM. */
const SEALED_BY = { default: 1, sm: 2 } as const;

const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe.each(CRYPTO_PROFILES)('record encryption (%s profile)', (profile) => {
  const key = newDataKey();
  const seal = (k: Buffer, plain: Buffer, aad: string) => sealWith(k, plain, aad, profile);
  const sealJson = (k: Buffer, value: unknown, aad: string) => sealJsonWith(k, value, aad, profile);

  it('round-trips and never repeats a ciphertext', () => {
    const a = sealJson(key, { title: '常务会议' }, 'leader_record:l:schedule:1');
    const b = sealJson(key, { title: '常务会议' }, 'leader_record:l:schedule:1');
    expect(a.equals(b)).toBe(false);
    expect(openJson(key, a, 'leader_record:l:schedule:1')).toEqual({ title: '常务会议' });
    expect(a.includes(Buffer.from('常务会议'))).toBe(false);
    expect(a[0]).toBe(SEALED_BY[profile]);
  });

  it('refuses a wrong key with a clear typed error', () => {
    const blob = seal(key, Buffer.from('secret'), 'x:1');
    expect(() => open(newDataKey(), blob, 'x:1')).toThrow(CiphertextError);
    try {
      open(newDataKey(), blob, 'x:1');
    } catch (e) {
      expect(e).toMatchObject({ code: 'INTERNAL', details: { reason: 'record_unreadable', record: 'x:1' } });
    }
  });

  it('refuses a ciphertext with any flipped byte, a truncated one, and an unknown format', () => {
    const blob = seal(key, Buffer.from('secret text'), 'x:1');
    for (let i = 0; i < blob.length; i++) {
      const bad = Buffer.from(blob);
      bad[i]! ^= 0x01;
      expect(() => open(key, bad, 'x:1')).toThrow(CiphertextError);
    }
    expect(() => open(key, blob.subarray(0, 20), 'x:1')).toThrow(/unknown format/);
  });

  it('refuses a record moved to another row or table (AAD)', () => {
    const blob = seal(key, Buffer.from('secret'), 'leader_record:l:briefing:1');
    expect(() => open(key, blob, 'leader_record:l:briefing:2')).toThrow(CiphertextError);
    expect(() => open(key, blob, 'leader_record:l:schedule:1')).toThrow(CiphertextError);
  });
});

describe.each(CRYPTO_PROFILES)('data key wrapping (%s profile)', (profile) => {
  const wrapKey = (kek: Buffer, dek: Buffer, label: string) => wrapKeyWith(kek, dek, label, profile);
  const sealJson = (k: Buffer, value: unknown, aad: string) => sealJsonWith(k, value, aad, profile);
  it('unwraps with the password that wrapped it and refuses any other', async () => {
    const dek = newDataKey();
    const salt = Buffer.alloc(16, 7);
    const wrapped = wrapKey(await deriveKek('正确的口令 correct', salt, FAST), dek, 'password');
    expect(unwrapKey(await deriveKek('正确的口令 correct', salt, FAST), wrapped, 'password').equals(dek)).toBe(true);
    const wrong = await deriveKek('正确的口令 wrong!!', salt, FAST);
    expect(() => unwrapKey(wrong, wrapped, 'password')).toThrow(CiphertextError);
  });

  it('re-wraps under a new password: the data key, and so every record, stays the same', async () => {
    const dek = newDataKey();
    const record = sealJson(dek, { body: '简报正文' }, 'r:1');
    const oldKek = await deriveKek('old password 1', Buffer.alloc(16, 1), FAST);
    const newKek = await deriveKek('new password 2', Buffer.alloc(16, 2), FAST);
    const rewrapped = wrapKey(newKek, unwrapKey(oldKek, wrapKey(oldKek, dek, 'password'), 'password'), 'password');
    expect(openJson(unwrapKey(newKek, rewrapped, 'password'), record, 'r:1')).toEqual({ body: '简报正文' });
    expect(() => unwrapKey(oldKek, rewrapped, 'password')).toThrow(CiphertextError);
  });
});

describe('lockout schedule', () => {
  it('allows four failures, then locks 30 s, doubling, capped at an hour', () => {
    expect([0, 1, 2, 3, 4].map(lockoutDelayMs)).toEqual([0, 0, 0, 0, 0]);
    expect([5, 6, 7, 8].map(lockoutDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(lockoutDelayMs(30)).toBe(3_600_000);
  });
});
