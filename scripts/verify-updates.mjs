// `node scripts/verify-updates.mjs <folder> [--key <public key file>]... [--profile sm]`: before central serves
// installers carried in on removable media, checks each latest*.yml's signatures with the release public keys
// (default build/release-public-key.pem and build/release-public-key-sm2.pem, those the app is built with) and
// every file it names against its SHA-512 and size, as the devices will: every signature there is a key for
// must hold, and at least one must be there (the SM2 one with `--profile sm`, as on a device whose config has
// `crypto: "sm"`). Exit 0 only when the signatures hold and every file is present and matches.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RELEASE_ALGS, releaseVerifier, signatureFileOf } from './release-keys.mjs';

/** The `files:` entries of an electron-builder latest*.yml (a fixed, flat format: url, sha512, size). */
export function parseLatestYml(text) {
  const files = [];
  let inFiles = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\S/.test(line)) inFiles = line.startsWith('files:');
    if (!inFiles) continue;
    const m = /^\s*(-\s+)?(url|sha512|size):\s*'?([^']*?)'?\s*$/.exec(line);
    if (!m) continue;
    if (m[1]) files.push({});
    const entry = files.at(-1);
    if (entry) entry[m[2]] = m[2] === 'size' ? Number(m[3]) : m[3];
  }
  return files;
}

export const latestYmls = (dir) => fs.readdirSync(dir).filter((f) => /^latest.*\.yml$/.test(f));

const ALG_NAME = { ed25519: 'Ed25519', sm2: 'SM2' };

/**
 * Why the signatures do not vouch for these yml bytes, or [] when they do. The same rule as the app's
 * (electron/core/updates/release-signature.ts): each signature is one base64 signature over the exact bytes;
 * every signature there is a key for must hold; under `sm` the SM2 one is required, otherwise either will do.
 * `signatures` maps an algorithm to its file's text, or null when there is none.
 */
export function signatureProblems(ymlBytes, signatures, verifiers, profile = 'default') {
  const problems = [];
  const valid = new Set();
  for (const v of verifiers) {
    const text = signatures[v.alg]?.trim() ?? null;
    if (text === null) continue;
    const name = ALG_NAME[v.alg];
    if (!/^[A-Za-z0-9+/]{86}==$/.test(text)) problems.push(`has a malformed ${name} signature`);
    else if (!safeVerify(v, ymlBytes, Buffer.from(text, 'base64'))) {
      problems.push(`its ${name} signature is not by the ${name} release key (altered, or signed by another key)`);
    } else valid.add(v.alg);
  }
  if (problems.length) return problems;
  if (profile === 'sm' && !valid.has('sm2')) return ['has no SM2 signature, which the sm profile requires'];
  if (valid.size === 0) return ['has no signature by a release key'];
  return [];
}

const safeVerify = (v, bytes, signature) => {
  try {
    return v.verify(bytes, signature);
  } catch {
    return false;
  }
};

/**
 * Every problem: signatures first, then files (missing, wrong size, wrong hash, outside the folder).
 * `publicKeyPems`: the release public keys (Ed25519, SM2 or both); `profile`: `sm` requires the SM2 signature.
 */
export function verifyUpdatesFolder(dir, publicKeyPems, profile = 'default') {
  const verifiers = [publicKeyPems].flat().map(releaseVerifier);
  if (profile === 'sm' && !verifiers.some((v) => v.alg === 'sm2')) return ['the sm profile needs the SM2 release key'];
  const ymls = latestYmls(dir);
  if (ymls.length === 0) return [`${dir}: no latest*.yml`];
  const problems = [];
  for (const yml of ymls) {
    const signatures = {};
    for (const alg of RELEASE_ALGS) {
      const sigFile = path.join(dir, signatureFileOf(yml, alg));
      signatures[alg] = fs.existsSync(sigFile) ? fs.readFileSync(sigFile, 'utf8') : null;
    }
    const found = signatureProblems(fs.readFileSync(path.join(dir, yml)), signatures, verifiers, profile);
    problems.push(...found.map((p) => `${yml}: ${p}`));
  }
  return [...problems, ...hashProblems(dir)];
}

/** The installers against their yml only: what the signer checks before it signs. */
export function hashProblems(dir) {
  const ymls = latestYmls(dir);
  if (ymls.length === 0) return [`${dir}: no latest*.yml`];
  const problems = [];
  for (const yml of ymls) {
    const files = parseLatestYml(fs.readFileSync(path.join(dir, yml), 'utf8'));
    if (files.length === 0) problems.push(`${yml}: names no files`);
    for (const f of files) {
      const file = path.resolve(dir, f.url ?? '');
      if (!f.url || path.dirname(file) !== path.resolve(dir)) {
        problems.push(`${yml}: ${f.url} is not a file of this folder`);
        continue;
      }
      if (!fs.existsSync(file)) {
        problems.push(`${yml}: ${f.url} is missing`);
        continue;
      }
      const data = fs.readFileSync(file);
      if (f.size !== undefined && data.length !== f.size) {
        problems.push(`${yml}: ${f.url} has ${data.length} bytes, not ${f.size}`);
      }
      if (crypto.createHash('sha512').update(data).digest('base64') !== f.sha512) {
        problems.push(`${yml}: ${f.url} does not match its SHA-512 (damaged or altered copy)`);
      }
    }
  }
  return problems;
}

function main(args) {
  const usage =
    'usage: node scripts/verify-updates.mjs <folder with latest*.yml and installers> ' +
    '[--key <public key file>]... [--profile default|sm]';
  const keyFiles = args.flatMap((a, i) => (args[i - 1] === '--key' ? [a] : []));
  const p = args.indexOf('--profile');
  const profile = p >= 0 ? args[p + 1] : 'default';
  const dir = args.find((a, i) => !a.startsWith('--') && !['--key', '--profile'].includes(args[i - 1]));
  if (!dir || !['default', 'sm'].includes(profile)) {
    console.error(usage);
    process.exit(2);
  }
  // By default the keys the app is built with (scripts/build.mjs), whichever the checkout has.
  const files = keyFiles.length ? keyFiles : BUILT_IN_KEYS.filter((f) => fs.existsSync(f));
  if (files.length === 0 || files.some((f) => !fs.existsSync(f))) {
    console.error(
      `${files.find((f) => !fs.existsSync(f)) ?? BUILT_IN_KEYS.join(', ')}: no release public key (README, "Signing a release")`,
    );
    process.exit(2);
  }
  const problems = verifyUpdatesFolder(
    dir,
    files.map((f) => fs.readFileSync(f, 'utf8')),
    profile,
  );
  for (const problem of problems) console.error(problem);
  if (problems.length) process.exit(1);
  console.log(`${dir}: every latest*.yml is signed by the release key and every installer matches it`);
}

const BUILT_IN_KEYS = ['release-public-key.pem', 'release-public-key-sm2.pem'].map((f) =>
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../build', f),
);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
