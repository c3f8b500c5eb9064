import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';

export interface BackupOptions {
  dir: string;
  /** Short reason in the file name, e.g. `pre-v3` or `daily`. */
  label: string;
  now?: Date;
  /** How many backups with this label to keep; older ones are removed after a successful backup. */
  keep?: number;
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');

/** Online backup (SQLite backup API): safe while the app keeps writing. Returns the backup file's path. */
export async function backupDatabase(db: Database, opts: BackupOptions): Promise<string> {
  fs.mkdirSync(opts.dir, { recursive: true });
  const base = path.basename(db.name, path.extname(db.name));
  const target = path.join(opts.dir, `${base}.${opts.label}.${stamp(opts.now ?? new Date())}.sqlite`);
  const partial = `${target}.partial`;
  await db.backup(partial);
  // Rename only once complete, so a crash never leaves a truncated file that looks like a backup.
  fs.renameSync(partial, target);
  if (opts.keep !== undefined) prune(opts.dir, base, opts.label, opts.keep);
  return target;
}

function prune(dir: string, base: string, label: string, keep: number): void {
  const prefix = `${base}.${label}.`;
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.sqlite'))
    .sort();
  for (const f of files.slice(0, Math.max(0, files.length - keep))) fs.rmSync(path.join(dir, f));
}

/** Newest backup with the label, or undefined. */
export function latestBackup(dir: string, dbFile: string, label: string): string | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const base = path.basename(dbFile, path.extname(dbFile));
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`${base}.${label}.`) && f.endsWith('.sqlite'))
    .sort();
  const last = files.at(-1);
  return last === undefined ? undefined : path.join(dir, last);
}
