// `npm run dist`: check the packaging config, rebuild native modules for Electron's Node, build, and package
// the hall installers (Linux AppImage + deb, Windows NSIS; `npm run dist -- --linux` for one platform).
// This is the only place native modules are rebuilt for Electron; tests always use the Node build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBuilderConfig } from './builder-config.mjs';
import { obtainElectronBinary } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fail = (message) => {
  console.error(`\nnpm run dist: ${message}`);
  process.exit(1);
};
const run = (cmd, args) => {
  console.log(`> ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  return r.status === 0;
};

try {
  const config = await checkBuilderConfig(root);
  console.log(`electron-builder.yml checked: ${config.appId}, fuses set, updates from ${config.publish.url}`);
} catch (e) {
  fail(`the packaging config is wrong, nothing was built.\n  ${e instanceof Error ? e.message : String(e)}`);
}

// Installers built without a release key verify no update signature, so they refuse every update (updates off);
// without the SM2 one, devices whose profile is `sm` do.
const hasKey = (name) => fs.existsSync(path.join(root, 'build', name));
if (!hasKey('release-public-key.pem') && !hasKey('release-public-key-sm2.pem')) {
  console.warn(
    'WARNING: build/release-public-key.pem and build/release-public-key-sm2.pem are missing: these installers will\n' +
      '  refuse every update. Create a release key pair first (README, "Signing a release"):\n' +
      '  node scripts/sign-updates.mjs --new-key <file> [--alg sm2]',
  );
} else if (!hasKey('release-public-key-sm2.pem')) {
  console.warn(
    'WARNING: build/release-public-key-sm2.pem is missing: devices with crypto "sm" will refuse every update.',
  );
}

const electron = obtainElectronBinary();
if (electron.error) {
  fail(
    [
      `no installers were built: ${electron.error}.`,
      'Packaging needs Electron’s binaries (and headers, to rebuild better-sqlite3), which come from',
      'github.com/electron/electron/releases unless a mirror is set. On a machine that can reach one:',
      '  ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ npm run dist',
      'or copy the electron-v<version>-<platform>-<arch>.zip files into ~/.cache/electron/ first.',
      'The installers then go to the hall as README "Offline install and update" describes.',
    ].join('\n  '),
  );
}

let ok = run('npx', ['--no-install', 'electron-builder', 'install-app-deps']);
ok &&= run(process.execPath, ['scripts/build.mjs']);
ok &&= run('npx', ['--no-install', 'electron-builder', '--publish', 'never', ...process.argv.slice(2)]);
// Whatever happened, leave node_modules as tests expect it: better-sqlite3 built for this machine's Node.
const restored = run('npm', ['rebuild', 'better-sqlite3']);
if (!ok) fail('packaging failed (see above); better-sqlite3 was rebuilt for Node again.');
if (!restored) fail('installers are in dist/, but `npm rebuild better-sqlite3` failed: run it before testing.');
console.log(
  '\nInstallers, latest.yml and latest-linux.yml are in dist/. Sign them on this machine\n' +
    '  (node scripts/sign-updates.mjs dist --key <release private key>), then copy the installers, the\n' +
    '  latest*.yml and their .sig files to central’s updates folder.',
);
