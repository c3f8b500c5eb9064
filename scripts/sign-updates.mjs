// The release key: signs each latest*.yml of a release so that devices install only what its holder published.
//   node scripts/sign-updates.mjs --new-key <private key file> [--public <file>]   creates the Ed25519 pair: the
//        private key to that file (0600, never overwritten, never inside the repository; keep it on the release
//        machine, never on central), the public key to build/release-public-key.pem (or --public), which
//        scripts/build.mjs builds into the app.
//   node scripts/sign-updates.mjs <folder> --key <private key file>   checks every installer against its yml,
//        then writes <yml>.sig beside each latest*.yml (base64 Ed25519 signature over the yml's exact bytes).
// The yml carries each installer's SHA-512, so the signature covers the installers too.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashProblems, latestYmls, signatureFileOf } from './verify-updates.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PUBLIC_KEY_FILE = path.join(root, 'build', 'release-public-key.pem');

/** A fresh Ed25519 release key pair, both halves PEM. */
export function createReleaseKeyPair() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Signs every latest*.yml of the folder; refuses (writing nothing) unless every installer matches its yml. */
export function signUpdatesFolder(dir, privateKeyPem) {
  const key = crypto.createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the release key must be an Ed25519 private key');
  const problems = hashProblems(dir);
  if (problems.length) throw new Error(`nothing signed:\n  ${problems.join('\n  ')}`);
  const written = [];
  for (const yml of latestYmls(dir)) {
    const signature = crypto.sign(null, fs.readFileSync(path.join(dir, yml)), key).toString('base64');
    fs.writeFileSync(path.join(dir, signatureFileOf(yml)), `${signature}\n`);
    written.push(signatureFileOf(yml));
  }
  return written;
}

function main(args) {
  const usage =
    'usage: node scripts/sign-updates.mjs <folder> --key <private key file>\n' +
    '       node scripts/sign-updates.mjs --new-key <private key file>';
  const flag = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const newKey = flag('--new-key');
  if (newKey) {
    if (fs.existsSync(newKey)) throw new Error(`${newKey} exists: a release key is never overwritten`);
    if (!path.relative(root, path.resolve(newKey)).startsWith('..')) {
      throw new Error(`${newKey} is inside the repository, where it could be committed or packaged: put it elsewhere`);
    }
    const pair = createReleaseKeyPair();
    fs.writeFileSync(newKey, pair.privateKey, { mode: 0o600, flag: 'wx' });
    const publicFile = flag('--public') ?? PUBLIC_KEY_FILE;
    fs.writeFileSync(publicFile, pair.publicKey);
    console.log(`private key: ${newKey} (keep it off central and out of the repository)`);
    console.log(`public key: ${publicFile} (commit it; the next build trusts it)`);
    return;
  }
  const keyFile = flag('--key');
  const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--key');
  if (!keyFile || !dir) {
    console.error(usage);
    process.exit(2);
  }
  for (const sig of signUpdatesFolder(dir, fs.readFileSync(keyFile, 'utf8'))) console.log(`signed: ${sig}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
