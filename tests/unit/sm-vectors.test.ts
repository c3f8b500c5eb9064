import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sm2, sm4 } from 'sm-crypto-v2';
import { aeadById, deriveKey, digest, mac, newSigningKeyPair, sign, verify } from '../../electron/core/crypto/profile';
import { CRYPTO_PROFILES } from '@shared/crypto/profile';

/**
 * The published examples of the standards, run through the code the app uses: a library that computed
 * anything else would fail here before it sealed a single page.
 */
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('SM3 (GB/T 32905-2016, appendix A)', () => {
  it('example 1: "abc"', () => {
    expect(digest('sm', 'abc').toString('hex')).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
  });

  it('example 2: "abcd" sixteen times (512 bits)', () => {
    expect(digest('sm', 'abcd'.repeat(16)).toString('hex')).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });

  it.runIf(crypto.getHashes().includes('sm3'))('HMAC-SM3 agrees with OpenSSL (an independent implementation)', () => {
    for (const [key, text] of [
      [Buffer.alloc(32, 0x0b), 'Hi There'],
      [crypto.randomBytes(32), 'onewindow-audit/staff'],
      [crypto.randomBytes(80), '一窗通'.repeat(50)],
    ] as const) {
      const openssl = crypto.createHmac('sm3', key).update(text, 'utf8').digest('hex');
      expect(mac('hmac-sm3', key, text).toString('hex')).toBe(openssl);
    }
  });
});

describe('HKDF-SM3 (the SM sealed box key)', () => {
  it.runIf(crypto.getHashes().includes('sm3'))('agrees with OpenSSL', () => {
    const ikm = crypto.randomBytes(32);
    const salt = crypto.randomBytes(64);
    const openssl = Buffer.from(crypto.hkdfSync('sm3', ikm, salt, 'onewindow sealed box v3', 32));
    expect(deriveKey('sm', ikm, salt, 'onewindow sealed box v3', 32).equals(openssl)).toBe(true);
  });
});

describe('SM4 (GB/T 32907-2016, appendix A)', () => {
  const key = hex('0123456789abcdeffedcba9876543210');

  it('example 1: one block', () => {
    const out = sm4.encrypt(key, key, { padding: 'none', output: 'array' });
    expect(Buffer.from(out).toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
    expect(Buffer.from(sm4.decrypt(out, key, { padding: 'none', output: 'array' })).equals(key)).toBe(true);
  });

  it('example 2: the same block encrypted 1,000,000 times', { timeout: 120_000 }, () => {
    let block: Uint8Array = key;
    for (let i = 0; i < 1_000_000; i++) block = sm4.encrypt(block, key, { padding: 'none', output: 'array' });
    expect(Buffer.from(block).toString('hex')).toBe('595298c7c6fd271f0402f804c33d3f66');
  });
});

describe('SM4-GCM (RFC 8998, appendix A.1)', () => {
  const key = hex('0123456789ABCDEFFEDCBA9876543210');
  const nonce = hex('00001234567800000000ABCD');
  const aad = hex('FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2');
  const plain = hex(`AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD
                     EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA`);
  const cipher = hex(`17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735
                      D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D`);
  const tag = hex('83DE3541E4C2B58177E065A9BF7B62EC');
  const sm4gcm = aeadById(2)!;
  // The app's keys are 32 bytes; SM4-GCM keys with their first 16, whatever the rest is.
  const appKey = Buffer.concat([key, crypto.randomBytes(16)]);

  it('seals to the published ciphertext and tag', () => {
    expect(sm4gcm.name).toBe('SM4-GCM');
    const out = sm4gcm.seal(appKey, nonce, plain, aad);
    expect(out.body.equals(cipher)).toBe(true);
    expect(out.tag.equals(tag)).toBe(true);
  });

  it('opens it, and refuses a flipped bit in the ciphertext, the tag or the AAD', () => {
    expect(sm4gcm.open(appKey, nonce, cipher, tag, aad).equals(plain)).toBe(true);
    const flip = (b: Buffer, i: number) => Buffer.from(b.map((x, j) => (j === i ? x ^ 1 : x)));
    expect(() => sm4gcm.open(appKey, nonce, flip(cipher, 63), tag, aad)).toThrow();
    expect(() => sm4gcm.open(appKey, nonce, cipher, flip(tag, 0), aad)).toThrow();
    expect(() => sm4gcm.open(appKey, nonce, cipher, tag, flip(aad, 19))).toThrow();
  });
});

describe('SM2 signature (GB/T 32918.2-2016 / GB/T 32918.5-2017 example on the recommended curve)', () => {
  const d = '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8';
  const publicKey = hex(`04 09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020
                            CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13`);
  const signature = hex(`F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3
                         B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA`);

  it('the published private key gives the published public key, and Z_A with the default user id', () => {
    expect(sm2.getPublicKeyFromPrivateKey(d)).toBe(publicKey.toString('hex'));
    expect(Buffer.from(sm2.getZ(publicKey.toString('hex'), '1234567812345678')).toString('hex')).toBe(
      'b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3',
    );
  });

  it('verifies the published signature of "message digest", and nothing altered', () => {
    expect(verify('sm', publicKey, 'message digest', signature)).toBe(true);
    expect(verify('sm', publicKey, 'message digesT', signature)).toBe(false);
    const badSig = Buffer.from(signature);
    badSig[63]! ^= 1;
    expect(verify('sm', publicKey, 'message digest', badSig)).toBe(false);
    const offCurve = Buffer.from(publicKey);
    offCurve[64]! ^= 1;
    expect(verify('sm', offCurve, 'message digest', signature)).toBe(false);
  });
});

describe('Ed25519 (RFC 8032, section 7.1, test 1)', () => {
  it('verifies the published signature of the empty message', () => {
    const publicKey = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    const signature = hex(
      `e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b`,
    );
    expect(verify('default', publicKey, Buffer.alloc(0), signature)).toBe(true);
    expect(verify('default', publicKey, Buffer.from([0]), signature)).toBe(false);
  });
});

describe.each(CRYPTO_PROFILES)('signatures of the %s profile', (profile) => {
  it('sign with a fresh key pair; another key or message does not verify', () => {
    const pair = newSigningKeyPair(profile);
    const other = newSigningKeyPair(profile);
    const sig = sign(profile, pair.privateKey, '受理回执 2026-0001');
    expect(sig).toHaveLength(64);
    expect(verify(profile, pair.publicKey, '受理回执 2026-0001', sig)).toBe(true);
    expect(verify(profile, other.publicKey, '受理回执 2026-0001', sig)).toBe(false);
    expect(verify(profile, pair.publicKey, '受理回执 2026-0002', sig)).toBe(false);
  });
});
