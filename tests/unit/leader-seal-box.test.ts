import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CRYPTO_PROFILES } from '@shared/crypto/profile';
import { centralCommentAad } from '@shared/leader/seal-format';
import { ephemeralLeaderSealKey } from '../../central/src/sync/leader-seal';
import { CiphertextError } from '../../electron/core/leader/crypto';
import { newSealKeyPair, openBox, privateKeyOf, sealTo as sealWith } from '../../electron/core/leader/seal-box';
import { leaderStorageRefusal, secretBackendOf } from '../../electron/core/leader/storage-policy';

/** The version byte a box starts with: 2 HKDF-SHA-256 + AES-256-GCM, 3 HKDF-SM3 + SM4-GCM. */
const BOX_VERSION = { default: 2, sm: 3 } as const;

describe.each(CRYPTO_PROFILES)('sealed box (X25519, %s profile)', (profile) => {
  const pair = newSealKeyPair();
  const key = privateKeyOf(pair.privateKey);
  const sealTo = (to: Buffer, plain: Buffer, aad: string) => sealWith(to, plain, aad, profile);

  it('opens for the private key of the public key it was sealed to, under the same AAD only', () => {
    const box = sealTo(pair.publicKey, Buffer.from('机密 SEALED-1'), 'leader_record:a:briefing:b');
    expect(box[0]).toBe(BOX_VERSION[profile]);
    expect(openBox(key, box, 'leader_record:a:briefing:b').toString()).toBe('机密 SEALED-1');
    expect(() => openBox(key, box, 'leader_record:a:briefing:c')).toThrow(CiphertextError);
    const other = privateKeyOf(newSealKeyPair().privateKey);
    expect(() => openBox(other, box, 'leader_record:a:briefing:b')).toThrow(CiphertextError);
  });

  it('refuses a flipped bit anywhere, a truncated box and another format', () => {
    const box = sealTo(pair.publicKey, Buffer.from('x'.repeat(40)), 'aad');
    for (const at of [1, 20, 40, 60, box.length - 1]) {
      const bad = Buffer.from(box);
      bad[at]! ^= 1;
      expect(() => openBox(key, bad, 'aad'), `byte ${at}`).toThrow(CiphertextError);
    }
    expect(() => openBox(key, box.subarray(0, 30), 'aad')).toThrow(CiphertextError);
    expect(() => openBox(key, Buffer.concat([Buffer.from([1]), box.subarray(1)]), 'aad')).toThrow(CiphertextError);
  });

  it('seals each time anew (fresh ephemeral key and nonce): the same text never gives the same box', () => {
    const a = sealTo(pair.publicKey, Buffer.from('same'), 'aad');
    const b = sealTo(pair.publicKey, Buffer.from('same'), 'aad');
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(1, 33).equals(b.subarray(1, 33))).toBe(false);
  });
});

describe('the box for central', () => {
  it('is the box central opens: a 批示 sealed by the device for central’s key', () => {
    const central = ephemeralLeaderSealKey();
    const [leaderId, actionId] = [crypto.randomUUID(), crypto.randomUUID()];
    const box = sealWith(
      Buffer.from(central.publicKeyBase64, 'base64'),
      Buffer.from('{"comment":"同意"}'),
      centralCommentAad(leaderId, actionId),
    );
    expect(central.open(box, centralCommentAad(leaderId, actionId)).toString()).toBe('{"comment":"同意"}');
    expect(() => central.open(box, centralCommentAad(leaderId, crypto.randomUUID()))).toThrow();
  });

  it('is never an SM box: central refuses one, which is why the device seals for central with the default box', () => {
    const central = ephemeralLeaderSealKey();
    const aad = centralCommentAad(crypto.randomUUID(), crypto.randomUUID());
    const box = sealWith(Buffer.from(central.publicKeyBase64, 'base64'), Buffer.from('{}'), aad, 'sm');
    expect(() => central.open(box, aad)).toThrow();
  });
});

describe('leader storage policy', () => {
  it('reads Electron’s report: basic_text and no safeStorage are what they are, anything else the keychain', () => {
    expect(secretBackendOf({ available: true, linuxBackend: 'basic_text' })).toBe('basic_text');
    expect(secretBackendOf({ available: false })).toBe('unavailable');
    expect(secretBackendOf({ available: true, linuxBackend: 'gnome_libsecret' })).toBe('os-keychain');
    expect(secretBackendOf({ available: true })).toBe('os-keychain');
  });

  it('refuses leader content without an OS keychain, with a typed reason', () => {
    for (const backend of ['basic_text', 'unavailable'] as const) {
      expect(leaderStorageRefusal(backend)).toMatchObject({
        code: 'FORBIDDEN',
        details: { reason: 'leader_storage_insecure', backend },
      });
    }
    expect(leaderStorageRefusal('os-keychain')).toBeNull();
    expect(leaderStorageRefusal('key-file')).toBeNull();
  });
});
