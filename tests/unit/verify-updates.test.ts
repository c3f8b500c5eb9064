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
      'latest-linux.yml: has no signature',
      'latest-linux.yml: OneWindow-Setup-0.2.0.exe is missing',
    ]);
    const escaping = latest.replace('  - url: OneWindow-Setup-0.2.0.exe', '  - url: ../evil.exe');
    expect(verifyUpdatesFolder(folder('escape', { 'latest.yml': escaping }), release.publicKey)).toEqual([
      'latest.yml: has no signature',
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
      'latest.yml: is not signed by the release key (altered, or signed by another key)',
    ]);
    expect(verifyUpdatesFolder(signed('garbled', good, { 'latest.yml.sig': 'x\n' }), release.publicKey)).toEqual([
      'latest.yml: has a malformed signature',
    ]);
    expect(verifyUpdatesFolder(signed('stranger', good), createReleaseKeyPair().publicKey)).toEqual([
      'latest.yml: is not signed by the release key (altered, or signed by another key)',
    ]);
  });

  it('signs nothing while an installer does not match its yml, and only with an Ed25519 key', () => {
    const damaged = Buffer.from(exe);
    damaged[0] = 0;
    const dir = folder('unsignable', { 'latest.yml': latest, 'OneWindow-Setup-0.2.0.exe': damaged });
    expect(() => signUpdatesFolder(dir, release.privateKey)).toThrow(/nothing signed[\s\S]*does not match its SHA-512/);
    expect(fs.existsSync(path.join(dir, 'latest.yml.sig'))).toBe(false);
    const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const ecPem = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => signUpdatesFolder(folder('ec', good), ecPem)).toThrow(/Ed25519/);
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
  });
});
