// `npm run dist`: rebuild native modules for Electron's Node, build, and package installers.
// This is the only place native modules are rebuilt for Electron; tests always use the Node build.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { obtainElectronBinary } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  console.log(`> ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const electron = obtainElectronBinary();
if (electron.error) {
  console.error(`Packaging needs Electron's binaries and headers: ${electron.error}.`);
  process.exit(1);
}
run('npx', ['--no-install', 'electron-builder', 'install-app-deps']);
run(process.execPath, ['scripts/build.mjs']);
run('npx', ['--no-install', 'electron-builder', '--publish', 'never', ...process.argv.slice(2)]);
// Leave node_modules as tests expect it: better-sqlite3 built for this machine's Node.
run('npm', ['rebuild', 'better-sqlite3']);
