import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, totp } from '../../electron/core/leader/totp';

const SHA1_SEED = Buffer.from('12345678901234567890');
const SHA256_SEED = Buffer.from('12345678901234567890123456789012');
const SHA512_SEED = Buffer.from('1234567890123456789012345678901234567890123456789012345678901234');

describe('HOTP (RFC 4226 appendix D)', () => {
  it('gives the ten published values', () => {
    const expected = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ];
    expect(expected.map((_, counter) => hotp(SHA1_SEED, counter))).toEqual(expected);
  });
});

describe('TOTP (RFC 6238 appendix B)', () => {
  const vectors: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  it.each(vectors)('at %i s', (seconds, sha1, sha256, sha512) => {
    const t = seconds * 1000;
    expect(totp(SHA1_SEED, t, { digits: 8 })).toBe(sha1);
    expect(totp(SHA256_SEED, t, { digits: 8, algorithm: 'sha256' })).toBe(sha256);
    expect(totp(SHA512_SEED, t, { digits: 8, algorithm: 'sha512' })).toBe(sha512);
  });

  it('accepts the code of the step before and after, not two steps away, and says which step', () => {
    const t = 1_700_000_000_000;
    const step = Math.floor(t / 30_000);
    expect(matchTotp(SHA1_SEED, totp(SHA1_SEED, t), t)).toBe(step);
    expect(matchTotp(SHA1_SEED, totp(SHA1_SEED, t - 30_000), t)).toBe(step - 1);
    expect(matchTotp(SHA1_SEED, totp(SHA1_SEED, t + 30_000), t)).toBe(step + 1);
    expect(matchTotp(SHA1_SEED, totp(SHA1_SEED, t - 60_000), t)).toBeNull();
    expect(matchTotp(SHA1_SEED, '12345', t)).toBeNull();
  });
});

describe('base32 and the enrolment URI', () => {
  it('round-trips and matches RFC 4648 test vectors', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI').toString()).toBe('foobar');
    expect(base32Decode('mzxw6ytboi======').toString()).toBe('foobar');
    expect(() => base32Decode('MZ1W')).toThrow(/not base32/);
  });
  it('builds an otpauth:// URI an authenticator app reads', () => {
    const uri = new URL(otpauthUri(SHA1_SEED, 'zhang.wei', 'OneWindow'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/OneWindow:zhang.wei');
    expect(uri.searchParams.get('secret')).toBe(base32Encode(SHA1_SEED));
    expect(uri.searchParams.get('period')).toBe('30');
  });
});
