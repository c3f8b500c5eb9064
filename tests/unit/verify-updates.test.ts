import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReleaseKeyPair, signUpdatesFolder } from '../../scripts/sign-updates.mjs';
import { parseLatestYml, verifyUpdatesFolder } from '../../scripts/verify-updates.mjs';
import { tempDir } from '../fixtures/temp-dir';

/** The check an administrator runs on installers carried to an air-gapped central (README), and the signer. */
describe('verify-updates', () => {
  const tmp = tempDir('ow-verify-updates-');
  const release = createReleaseKeyPair();
  const releaseSm2 = createReleaseKeyPair('sm2');
  const both = [release.publicKey, releaseSm2.publicKey];
  const exe = Buffer.from('MZ installer bytes');
  const sha512 = crypto.createHash('sha512').update(exe).digest('base64');
  // As electron-builder writes it.
  const latest = [
    'version: 0.2.0',
    'files:',
    '  - url: OneWindow-Setup-0.2.0.exe',
    `    sha512: ${sha512}`,
    `    size: ${exe.length}`,
    'path: OneWindow-Setup-0.2.0.exe',
    `sha512: ${sha512}`,
    "releaseDate: '2026-11-24T08:00:00.000Z'",
    '',
  ].join('\n');

  const folder = (name: string, files: Record<string, string | Buffer>) => {
    const dir = path.join(tmp.dir, name);
    fs.mkdirSync(dir);
    for (const [f, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), data);
    return dir;
  };
  /** A folder as the release manager hands it over: every yml signed while its installers still matched. */
  const signed = (
    name: string,
    files: Record<string, string | Buffer>,
    change: Record<string, string | Buffer> = {},
  ) => {
    const dir = folder(name, files);
    signUpdatesFolder(dir, release.privateKey);
    for (const [f, data] of Object.entries(change)) fs.writeFileSync(path.join(dir, f), data);
    return dir;
  };
  const good = { 'latest.yml': latest, 'OneWindow-Setup-0.2.0.exe': exe };

  it('reads the files block', () => {
    expect(parseLatestYml(latest)).toEqual([{ url: 'OneWindow-Setup-0.2.0.exe', sha512, size: exe.length }]);
  });

  it('accepts a signed folder whose installers match', () => {
    const dir = signed('good', good);
    expect(fs.readFileSync(path.join(dir, 'latest.yml.sig'), 'utf8')).toMatch(/^[A-Za-z0-9+/]{86}==\n$/);
    expect(verifyUpdatesFolder(dir, release.publicKey)).toEqual([]);
  });

  it('names a damaged, a missing and an escaping file', () => {
    const damaged = Buffer.from(exe);
    damaged[0] = 0;
    expect(
      verifyUpdatesFolder(signed('bad', good, { 'OneWindow-Setup-0.2.0.exe': damaged }), release.publicKey),
    ).toEqual(['latest.yml: OneWindow-Setup-0.2.0.exe does not match its SHA-512 (damaged or altered copy)']);
    expect(verifyUpdatesFolder(folder('missing', { 'latest-linux.yml': latest }), release.publicKey)).toEqual([
      'latest-linux.yml: has no signature by a release key',
      'latest-linux.yml: OneWindow-Setup-0.2.0.exe is missing',
    ]);
    const escaping = latest.replace('  - url: OneWindow-Setup-0.2.0.exe', '  - url: ../evil.exe');
    expect(verifyUpdatesFolder(folder('escape', { 'latest.yml': escaping }), release.publicKey)).toEqual([
      'latest.yml: has no signature by a release key',
      'latest.yml: ../evil.exe is not a file of this folder',
    ]);
    expect(verifyUpdatesFolder(folder('empty', {}), release.publicKey)).toEqual([
      `${path.join(tmp.dir, 'empty')}: no latest*.yml`,
    ]);
  });

  it('refuses an altered yml, a garbled signature and one by another key', () => {
    const evil = Buffer.from('MZ attacker bytes');
    const evilSha = crypto.createHash('sha512').update(evil).digest('base64');
    const altered = signed('altered', good, {
      'latest.yml': latest.replaceAll(sha512, evilSha).replaceAll(`size: ${exe.length}`, `size: ${evil.length}`),
      'OneWindow-Setup-0.2.0.exe': evil,
    });
    expect(verifyUpdatesFolder(altered, release.publicKey)).toEqual([
      'latest.yml: its Ed25519 signature is not by the Ed25519 release key (altered, or signed by another key)',
    ]);
    expect(verifyUpdatesFolder(signed('garbled', good, { 'latest.yml.sig': 'x\n' }), release.publicKey)).toEqual([
      'latest.yml: has a malformed Ed25519 signature',
    ]);
    expect(verifyUpdatesFolder(signed('stranger', good), createReleaseKeyPair().publicKey)).toEqual([
      'latest.yml: its Ed25519 signature is not by the Ed25519 release key (altered, or signed by another key)',
    ]);
  });

  it('checks SM2 signatures the same way: a tampered yml or installer is refused, sm requires SM2', () => {
    const sm2Signed = (name: string, change: Record<string, string | Buffer> = {}) => {
      const dir = folder(name, good);
      signUpdatesFolder(dir, [releaseSm2.privateKey]);
      for (const [f, data] of Object.entries(change)) fs.writeFileSync(path.join(dir, f), data);
      return dir;
    };
    const ok = sm2Signed('sm2');
    expect(fs.readFileSync(path.join(ok, 'latest.yml.sm2.sig'), 'utf8')).toMatch(/^[A-Za-z0-9+/]{86}==\n$/);
    expect(fs.existsSync(path.join(ok, 'latest.yml.sig'))).toBe(false);
    expect(verifyUpdatesFolder(ok, both, 'sm')).toEqual([]);
    expect(verifyUpdatesFolder(ok, both)).toEqual([]);
    const damaged = Buffer.from(exe);
    damaged[0] = 0;
    expect(
      verifyUpdatesFolder(sm2Signed('sm2-installer', { 'OneWindow-Setup-0.2.0.exe': damaged }), both, 'sm'),
    ).toEqual(['latest.yml: OneWindow-Setup-0.2.0.exe does not match its SHA-512 (damaged or altered copy)']);
    const altered = latest.replace('version: 0.2.0', 'version: 9.9.9');
    expect(verifyUpdatesFolder(sm2Signed('sm2-yml', { 'latest.yml': altered }), both, 'sm')).toEqual([
      'latest.yml: its SM2 signature is not by the SM2 release key (altered, or signed by another key)',
    ]);
    expect(verifyUpdatesFolder(ok, [createReleaseKeyPair('sm2').publicKey], 'sm')).toEqual([
      'latest.yml: its SM2 signature is not by the SM2 release key (altered, or signed by another key)',
    ]);
    // An Ed25519-only release is not enough for an sm device, and an sm check needs the SM2 key.
    expect(verifyUpdatesFolder(signed('ed-only', good), both, 'sm')).toEqual([
      'latest.yml: has no SM2 signature, which the sm profile requires',
    ]);
    expect(verifyUpdatesFolder(ok, release.publicKey, 'sm')).toEqual(['the sm profile needs the SM2 release key']);
    // Both at once: each must hold.
    const dual = folder('dual', good);
    expect(signUpdatesFolder(dual, [release.privateKey, releaseSm2.privateKey])).toEqual([
      'latest.yml.sig',
      'latest.yml.sm2.sig',
    ]);
    expect(verifyUpdatesFolder(dual, both, 'sm')).toEqual([]);
    fs.writeFileSync(path.join(dual, 'latest.yml.sig'), fs.readFileSync(path.join(ok, 'latest.yml.sm2.sig')));
    expect(verifyUpdatesFolder(dual, both)).toEqual([
      'latest.yml: its Ed25519 signature is not by the Ed25519 release key (altered, or signed by another key)',
    ]);
  });

  it('signs nothing while an installer does not match its yml, and only with an Ed25519 or SM2 key', () => {
    const damaged = Buffer.from(exe);
    damaged[0] = 0;
    const dir = folder('unsignable', { 'latest.yml': latest, 'OneWindow-Setup-0.2.0.exe': damaged });
    expect(() => signUpdatesFolder(dir, release.privateKey)).toThrow(/nothing signed[\s\S]*does not match its SHA-512/);
    expect(fs.existsSync(path.join(dir, 'latest.yml.sig'))).toBe(false);
    const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const ecPem = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => signUpdatesFolder(folder('ec', good), ecPem)).toThrow(/Ed25519 or SM2/);
    expect(() => signUpdatesFolder(folder('two', good), [release.privateKey, release.privateKey])).toThrow(
      /one key per algorithm/,
    );
  });

  it('runs from the command line: a new key pair, a signed folder, the check with the public key', () => {
    const node = (...args: string[]) => spawnSync(process.execPath, args, { encoding: 'utf8' });
    const privateKey = path.join(tmp.dir, 'release.key');
    const publicKey = path.join(tmp.dir, 'release-public-key.pem');
    expect(node('scripts/sign-updates.mjs', '--new-key', privateKey, '--public', publicKey).status).toBe(0);
    expect(fs.statSync(privateKey).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(publicKey, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const again = node('scripts/sign-updates.mjs', '--new-key', privateKey, '--public', publicKey);
    expect([again.status, again.stderr]).toEqual([1, expect.stringMatching(/never overwritten/)]);
    const inRepo = node('scripts/sign-updates.mjs', '--new-key', 'release.key', '--public', publicKey);
    expect([inRepo.status, inRepo.stderr]).toEqual([1, expect.stringMatching(/inside the repository/)]);
    expect(fs.existsSync('release.key')).toBe(false);

    const dir = folder('cli', good);
    expect(node('scripts/verify-updates.mjs', dir, '--key', publicKey).status).toBe(1);
    expect(node('scripts/sign-updates.mjs', dir, '--key', privateKey).status).toBe(0);
    const ok = node('scripts/verify-updates.mjs', dir, '--key', publicKey);
    expect([ok.status, ok.stdout]).toEqual([0, expect.stringMatching(/signed by the release key/)]);

    // An SM2 pair beside it, a release signed with both, checked as an sm device would.
    const sm2Key = path.join(tmp.dir, 'release-sm2.key');
    const sm2Public = path.join(tmp.dir, 'release-public-key-sm2.pem');
    expect(node('scripts/sign-updates.mjs', '--new-key', sm2Key, '--alg', 'sm2', '--public', sm2Public).status).toBe(0);
    expect(fs.statSync(sm2Key).mode & 0o777).toBe(0o600);
    const sm = ['--key', publicKey, '--key', sm2Public, '--profile', 'sm'];
    expect(node('scripts/verify-updates.mjs', dir, ...sm).stderr).toMatch(/no SM2 signature/);
    const wrongAlg = node('scripts/sign-updates.mjs', dir, '--key', privateKey, '--alg', 'sm2');
    expect([wrongAlg.status, wrongAlg.stderr]).toEqual([1, expect.stringMatching(/is not an sm2 release key/)]);
    expect(node('scripts/sign-updates.mjs', dir, '--key', privateKey, '--key', sm2Key).status).toBe(0);
    const smOk = node('scripts/verify-updates.mjs', dir, ...sm);
    expect([smOk.status, smOk.stderr]).toEqual([0, '']);
  });
});
