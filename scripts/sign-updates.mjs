// The release keys: each signs every latest*.yml of a release so that devices install only what its holder
// published. A release may carry an Ed25519 signature, an SM2 one (GB/T 32918.2 with SM3, which devices whose
// config has `crypto: "sm"` require), or both.
//   node scripts/sign-updates.mjs --new-key <private key file> [--alg ed25519|sm2] [--public <file>]   creates a
//        key pair: the private key to that file (0600, never overwritten, never inside the repository; keep it
//        on the release machine, never on central), the public key to build/release-public-key.pem
//        (build/release-public-key-sm2.pem for sm2, or --public), which scripts/build.mjs builds into the app.
//   node scripts/sign-updates.mjs <folder> --key <private key file> [--key <the other one>] [--alg ...]   checks every
//        installer against its yml, then writes, beside each latest*.yml, <yml>.sig (Ed25519) and/or
//        <yml>.sm2.sig (SM2): a base64 signature over the yml's exact bytes. The key file says its algorithm.
// The yml carries each installer's SHA-512, so the signatures cover the installers too.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createReleaseKeyPair, releaseSigner, signatureFileOf } from './release-keys.mjs';
import { hashProblems, latestYmls } from './verify-updates.mjs';

export { createReleaseKeyPair };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where a new key pair's public half goes unless --public says otherwise: the file the build reads. */
export const PUBLIC_KEY_FILES = {
  ed25519: path.join(root, 'build', 'release-public-key.pem'),
  sm2: path.join(root, 'build', 'release-public-key-sm2.pem'),
};

/**
 * Signs every latest*.yml of the folder with each key (one per algorithm); refuses (writing nothing) unless
 * every installer matches its yml and every key is a release key.
 */
export function signUpdatesFolder(dir, privateKeyPems) {
  const signers = [privateKeyPems].flat().map(releaseSigner);
  if (new Set(signers.map((s) => s.alg)).size !== signers.length) {
    throw new Error('one key per algorithm: a release carries one Ed25519 and one SM2 signature at most');
  }
  const problems = hashProblems(dir);
  if (problems.length) throw new Error(`nothing signed:\n  ${problems.join('\n  ')}`);
  const written = [];
  for (const yml of latestYmls(dir)) {
    const bytes = fs.readFileSync(path.join(dir, yml));
    for (const signer of signers) {
      const file = signatureFileOf(yml, signer.alg);
      fs.writeFileSync(path.join(dir, file), `${signer.sign(bytes).toString('base64')}\n`);
      written.push(file);
    }
  }
  return written;
}

function main(args) {
  const usage =
    'usage: node scripts/sign-updates.mjs <folder> --key <private key file> [--key <the other one>]\n' +
    '       node scripts/sign-updates.mjs --new-key <private key file> [--alg ed25519|sm2] [--public <file>]';
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
    const alg = flag('--alg') ?? 'ed25519';
    const pair = createReleaseKeyPair(alg);
    fs.writeFileSync(newKey, pair.privateKey, { mode: 0o600, flag: 'wx' });
    const publicFile = flag('--public') ?? PUBLIC_KEY_FILES[alg];
    fs.writeFileSync(publicFile, pair.publicKey);
    console.log(`private key: ${newKey} (keep it off central and out of the repository)`);
    console.log(`public key: ${publicFile} (commit it; the next build trusts it)`);
    return;
  }
  const keyFiles = args.flatMap((a, i) => (args[i - 1] === '--key' ? [a] : []));
  const dir = args.find((a, i) => !a.startsWith('--') && !['--key', '--alg'].includes(args[i - 1]));
  if (keyFiles.length === 0 || !dir) {
    console.error(usage);
    process.exit(2);
  }
  const keys = keyFiles.map((f) => fs.readFileSync(f, 'utf8'));
  // `--alg sm2` with a key: a check that the file given is the key meant, before anything is signed.
  const alg = flag('--alg');
  const wrong = alg ? keyFiles.find((f, i) => releaseSigner(keys[i]).alg !== alg) : undefined;
  if (wrong) throw new Error(`${wrong} is not an ${alg} release key`);
  for (const sig of signUpdatesFolder(dir, keys)) console.log(`signed: ${sig}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
