import fs from 'node:fs';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { ATTACHMENTS_FOLDER } from '../attachments/attachments-folder';

/**
 * The data folder holds the config (with the hall's `idHashKey`), device tokens, keys, databases and
 * backups: on a shared PC another account must read none of it. From here on this process creates only
 * private files (umask 077, which SQLite's WAL and backup files follow too), and what an older version
 * left readable is made private. On Windows the folder is in the user's profile and its ACL already is.
 */
export function keepDataFolderPrivate(dataDir: string): void {
  if (process.platform === 'win32') return;
  // A worker thread may not set it (Node throws); the process's main thread has.
  if (isMainThread) process.umask(0o077);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  restrict(dataDir, 0);
}

/**
 * Depth-limited: the folder and its own subfolders (backups, leader files), never a link's target. Scanned pages
 * are left out: they may be thousands, every one was written by a version that already kept files private, and
 * the walk runs at each start.
 */
function restrict(dir: string, depth: number) {
  fs.chmodSync(dir, 0o700);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (depth === 0 && entry.name === ATTACHMENTS_FOLDER) continue;
    if (entry.isDirectory() && depth < 3) restrict(full, depth + 1);
    else if (entry.isFile()) fs.chmodSync(full, 0o600);
  }
}
