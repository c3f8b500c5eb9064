// Finds the Electron binary without triggering the electron package's lazy download, which fails
// (or hangs) on machines with no access to Electron's release host.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The binary's path if it is on disk, else undefined. */
export function installedElectronBinary() {
  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return undefined;
  const rel = fs.readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(pkgDir, 'dist');
  const bin = path.join(dist, rel);
  return fs.existsSync(bin) ? bin : undefined;
}

/** Tries the electron package's own download once (bounded), then looks again. */
export function obtainElectronBinary({ timeoutMs = 120_000 } = {}) {
  const found = installedElectronBinary();
  if (found) return { path: found };
  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { error: 'the electron package is not installed (run npm ci)' };
  }
  const r = spawnSync(process.execPath, [path.join(pkgDir, 'install.js')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
    encoding: 'utf8',
  });
  const again = installedElectronBinary();
  if (again) return { path: again };
  // The reason, not the stack trace under it.
  const why = (r.error?.message ?? `${r.stderr}${r.stdout}`)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at '))
    .slice(-3)
    .join(' ');
  return { error: `the Electron binary could not be downloaded (${why || 'no reason given'})` };
}
