import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLatestYml, verifyUpdatesFolder } from '../../scripts/verify-updates.mjs';
import { tempDir } from '../fixtures/temp-dir';

/** The check an administrator runs on installers carried to an air-gapped central (README). */
describe('verify-updates', () => {
  const tmp = tempDir('ow-verify-updates-');
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

  it('reads the files block', () => {
    expect(parseLatestYml(latest)).toEqual([{ url: 'OneWindow-Setup-0.2.0.exe', sha512, size: exe.length }]);
  });

  it('accepts a folder whose installers match', () => {
    expect(verifyUpdatesFolder(folder('good', { 'latest.yml': latest, 'OneWindow-Setup-0.2.0.exe': exe }))).toEqual([]);
  });

  it('names a damaged, a missing and an escaping file', () => {
    const damaged = Buffer.from(exe);
    damaged[0] = 0;
    expect(verifyUpdatesFolder(folder('bad', { 'latest.yml': latest, 'OneWindow-Setup-0.2.0.exe': damaged }))).toEqual([
      'latest.yml: OneWindow-Setup-0.2.0.exe does not match its SHA-512 (damaged or altered copy)',
    ]);
    expect(verifyUpdatesFolder(folder('missing', { 'latest-linux.yml': latest }))).toEqual([
      'latest-linux.yml: OneWindow-Setup-0.2.0.exe is missing',
    ]);
    const escaping = latest.replace('  - url: OneWindow-Setup-0.2.0.exe', '  - url: ../evil.exe');
    expect(verifyUpdatesFolder(folder('escape', { 'latest.yml': escaping }))).toEqual([
      'latest.yml: ../evil.exe is not a file of this folder',
    ]);
    expect(verifyUpdatesFolder(folder('empty', {}))).toEqual([`${path.join(tmp.dir, 'empty')}: no latest*.yml`]);
  });
});
