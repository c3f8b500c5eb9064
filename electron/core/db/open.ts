import fs from 'node:fs';
import path from 'node:path';
import Sqlite, { type Database } from 'better-sqlite3';
import { backupDatabase } from './backup';
import { DatabaseCorruptError, DatabaseTooNewError } from './errors';
import { checkMigrationList, type Migration } from './migration';

export interface OpenOptions {
  file: string;
  migrations: readonly Migration[];
  /** Where backups go; defaults to `<dir of file>/backups`. */
  backupDir?: string;
  busyTimeoutMs?: number;
  now?: () => Date;
}

export interface OpenedDatabase {
  db: Database;
  schemaVersion: number;
  /** Path of the backup taken before migrating, if a migration ran on existing data. */
  preMigrationBackup?: string;
}

/**
 * Opens (or creates) a device database the way the design requires: WAL, synchronous=FULL so a
 * printed receipt survives power loss, foreign keys, a busy timeout, an integrity check, refusal of
 * a newer schema, an online backup and then all pending migrations in one IMMEDIATE transaction.
 */
export async function openDatabase(opts: OpenOptions): Promise<OpenedDatabase> {
  checkMigrationList(opts.migrations);
  fs.mkdirSync(path.dirname(opts.file), { recursive: true });
  const db = new Sqlite(opts.file);
  try {
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    // Checks first: a file that is refused must not be touched, and switching to WAL writes its header.
    const problems = integrityProblems(db);
    if (problems.length > 0) throw new DatabaseCorruptError(opts.file, problems);
    const current = db.pragma('user_version', { simple: true }) as number;
    const target = opts.migrations.length;
    if (current > target) throw new DatabaseTooNewError(opts.file, current, target);

    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');

    let preMigrationBackup: string | undefined;
    if (current < target) {
      if (current > 0) {
        preMigrationBackup = await backupDatabase(db, {
          dir: opts.backupDir ?? path.join(path.dirname(opts.file), 'backups'),
          label: `pre-v${target}`,
          now: opts.now?.(),
        });
      }
      const migrate = db.transaction(() => {
        for (const m of opts.migrations.slice(current)) {
          m.up(db);
          // user_version lives in the database header, which is part of this transaction.
          db.pragma(`user_version = ${m.version}`);
        }
      });
      migrate.immediate();
    }
    return { db, schemaVersion: target, preMigrationBackup };
  } catch (e) {
    db.close();
    throw e;
  }
}

/** What `quick_check` finds wrong; SQLite may also throw outright on a damaged page or a non-database file. */
function integrityProblems(db: Database): string[] {
  try {
    const rows = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
    return rows.length === 1 && rows[0] === 'ok' ? [] : rows;
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return [(e as Error).message];
    throw e;
  }
}
