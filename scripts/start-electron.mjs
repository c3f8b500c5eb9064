// `npm start`: build, then run the Electron app with the roles from its config (extra arguments are
// passed on, e.g. `npm start -- --role=kiosk`). Without an Electron binary it says what to do instead.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { obtainElectronBinary } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const electron = obtainElectronBinary();
if (electron.error) {
  console.error(`OneWindow cannot start Electron here: ${electron.error}.`);
  console.error('Run the same app in a browser instead:  npm run start:web');
  console.error('(or set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an Electron 45 binary)');
  process.exit(1);
}

const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const child = spawn(electron.path, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
