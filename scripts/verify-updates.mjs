// `node scripts/verify-updates.mjs <folder> [--key <public key file>]`: before central serves installers carried
// in on removable media, checks each latest*.yml's signature with the release public key (default
// build/release-public-key.pem, the one the app is built with) and every file it names against its SHA-512 and
// size, as the devices will. Exit 0 only when every signature holds and every file is present and matches.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Where a yml's detached signature lives (electron/core/updates/release-signature.ts reads the same name). */
export const signatureFileOf = (yml) => `${yml}.sig`;

/**
 * Why the signature does not vouch for these yml bytes, or null when it does. The same rule as the app's
 * (electron/core/updates/release-signature.ts): one base64 Ed25519 signature over the exact bytes.
 */
export function signatureProblem(ymlBytes, signatureText, publicKeyPem) {
  if (signatureText === null) return 'has no signature';
  const text = signatureText.trim();
  if (!/^[A-Za-z0-9+/]{86}==$/.test(text)) return 'has a malformed signature';
  const key = crypto.createPublicKey(publicKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') return 'cannot be checked: the public key is not Ed25519';
  return crypto.verify(null, ymlBytes, key, Buffer.from(text, 'base64'))
    ? null
    : 'is not signed by the release key (altered, or signed by another key)';
}

/** Every problem: signatures first, then files (missing, wrong size, wrong hash, outside the folder). */
export function verifyUpdatesFolder(dir, publicKeyPem) {
  const ymls = latestYmls(dir);
  if (ymls.length === 0) return [`${dir}: no latest*.yml`];
  const problems = [];
  for (const yml of ymls) {
    const sigFile = path.join(dir, signatureFileOf(yml));
    const sig = fs.existsSync(sigFile) ? fs.readFileSync(sigFile, 'utf8') : null;
    const problem = signatureProblem(fs.readFileSync(path.join(dir, yml)), sig, publicKeyPem);
    if (problem) problems.push(`${yml}: ${problem}`);
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const k = args.indexOf('--key');
  const keyFile =
    k >= 0
      ? args[k + 1]
      : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../build/release-public-key.pem');
  const dir = args.find((a, i) => !a.startsWith('--') && i !== k + 1);
  if (!dir || !keyFile) {
    console.error(
      'usage: node scripts/verify-updates.mjs <folder with latest*.yml and installers> [--key <public key file>]',
    );
    process.exit(2);
  }
  if (!fs.existsSync(keyFile)) {
    console.error(`${keyFile}: no release public key (README, "Signing a release")`);
    process.exit(2);
  }
  const problems = verifyUpdatesFolder(dir, fs.readFileSync(keyFile, 'utf8'));
  for (const p of problems) console.error(p);
  if (problems.length) process.exit(1);
  console.log(`${dir}: every latest*.yml is signed by the release key and every installer matches it`);
}
