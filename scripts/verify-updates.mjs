// `node scripts/verify-updates.mjs <folder>`: before central serves installers carried in on removable media,
// checks every file each latest*.yml names against its SHA-512 and size, as electron-updater will on the
// devices. Exit 0 only when every file is present and matches.
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

/** One line per problem (missing file, wrong size, wrong hash, file outside the folder); empty when all match. */
export function verifyUpdatesFolder(dir) {
  const ymls = fs.readdirSync(dir).filter((f) => /^latest.*\.yml$/.test(f));
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
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/verify-updates.mjs <folder with latest*.yml and installers>');
    process.exit(2);
  }
  const problems = verifyUpdatesFolder(dir);
  for (const p of problems) console.error(p);
  if (problems.length) process.exit(1);
  console.log(`${dir}: every installer matches its latest*.yml`);
}
