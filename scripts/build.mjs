// Builds what the app runs: the renderer (Vite), the Electron main process and one preload per role,
// the browser host, and central's web console (Vite, into out/console/). `--renderer` / `--host` /
// `--electron` / `--console` build only those parts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const ROLES = ['kiosk', 'counter', 'display', 'leader', 'admin'];

const flags = new Set(process.argv.slice(2));
const all = flags.size === 0;
const want = (part) => all || flags.has(`--${part}`);

// Update signatures are checked against these keys (electron/core/updates): Ed25519 and SM2, each optional;
// their private halves never come here.
const releaseKey = (name) => {
  const file = path.join(root, 'build', name);
  const pem = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (pem?.includes('PRIVATE KEY')) {
    console.error(`${file} holds a private key: it would ship in the app. Put the public key there.`);
    process.exit(1);
  }
  return pem;
};
const releasePublicKey = releaseKey('release-public-key.pem');
const releasePublicKeySm2 = releaseKey('release-public-key-sm2.pem');

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  tsconfig: path.join(root, 'tsconfig.node.json'),
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
    __RELEASE_PUBLIC_KEY__: JSON.stringify(releasePublicKey),
    __RELEASE_PUBLIC_KEY_SM2__: JSON.stringify(releasePublicKeySm2),
  },
};

if (want('renderer')) {
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}
if (want('console')) {
  await viteBuild({ configFile: path.join(root, 'central/console/vite.config.ts'), logLevel: 'warn' });
}
if (want('electron')) {
  await esbuild({
    ...common,
    entryPoints: { main: 'electron/main/main.ts' },
    outdir: 'out/main',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    // Dependencies ship in node_modules (native better-sqlite3 cannot be bundled); Electron is the runtime.
    packages: 'external',
  });
  // Sandboxed preloads cannot require anything but 'electron': everything else is bundled in.
  await esbuild({
    ...common,
    entryPoints: Object.fromEntries(ROLES.map((r) => [r, `electron/preload/${r}.ts`])),
    outdir: 'out/preload',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    platform: 'browser',
    target: 'chrome130',
    external: ['electron'],
  });
}
if (want('host')) {
  await esbuild({
    ...common,
    entryPoints: { 'browser-host': 'electron/core/host/browser-host.ts', hub: 'electron/core/host/hub.ts' },
    outdir: 'out/host',
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    packages: 'external',
  });
}
console.log(`built ${all ? 'everything' : [...flags].join(' ')} into out/`);
