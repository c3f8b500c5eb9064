import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite, { type Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestBackup } from '../../electron/core/db/backup';
import { DatabaseCorruptError, DatabaseTooNewError } from '../../electron/core/db/errors';
import type { Migration } from '../../electron/core/db/migration';
import { openDatabase, type OpenedDatabase } from '../../electron/core/db/open';
import { V1_ROWS, V2_ROWS, v1 as fixtureV1, v2 as fixtureV2 } from '../fixtures/migrate-and-die';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtureScript = path.join(repoRoot, 'tests/fixtures/migrate-and-die.ts');

let dir: string;
let file: string;
const opened: Database[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ow-db-'));
  file = path.join(dir, 'device.sqlite');
});

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Opens through the code under test and makes sure the handle is closed even when an assertion fails. */
async function open(
  migrations: readonly Migration[],
  extra: { busyTimeoutMs?: number; backupDir?: string; now?: () => Date } = {},
) {
  const result: OpenedDatabase = await openDatabase({ file, migrations, ...extra });
  opened.push(result.db);
  return result;
}

async function createAt(migrations: readonly Migration[]): Promise<void> {
  const { db } = await open(migrations);
  db.close();
}

interface Snapshot {
  userVersion: number;
  schema: unknown[];
  rows: Record<string, unknown[]>;
}

/** Everything a migration could change, read with a plain connection that bypasses openDatabase. */
function snapshot(target: string, opts: { readonly?: boolean } = {}): Snapshot {
  const db = new Sqlite(target, { fileMustExist: true, readonly: opts.readonly ?? false });
  try {
    const schema = db
      .prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { type: string; name: string }[];
    const rows: Record<string, unknown[]> = {};
    for (const t of schema.filter((s) => s.type === 'table')) {
      rows[t.name] = db.prepare(`SELECT * FROM "${t.name}" ORDER BY rowid`).all();
    }
    return { userVersion: db.pragma('user_version', { simple: true }) as number, schema, rows };
  } finally {
    db.close();
  }
}

function quickCheck(db: Database): string[] {
  return (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
}

/** A migration that records that it ran, so tests can prove a step was (or was not) attempted. */
function step(version: number, calls: string[], up: (db: Database) => void): Migration {
  const name = `step ${version}`;
  return {
    version,
    name,
    up(db) {
      calls.push(name);
      up(db);
    },
  };
}

const createT1 = (calls: string[]) =>
  step(1, calls, (db) => {
    db.exec('CREATE TABLE t1 (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
    db.prepare("INSERT INTO t1 (name) VALUES ('first'), ('second')").run();
  });

describe('openDatabase: connection settings and migrations', () => {
  it('sets WAL, synchronous=FULL, foreign keys and the given busy timeout', async () => {
    const { db } = await open([createT1([])], { busyTimeoutMs: 1234 });

    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);

    // The pragma reading 1 is not enough: the constraint must actually bite.
    db.exec('CREATE TABLE child (id INTEGER PRIMARY KEY, t1_id INTEGER NOT NULL REFERENCES t1 (id))');
    expect(() => db.prepare('INSERT INTO child (t1_id) VALUES (999)').run()).toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }),
    );
  });

  it('defaults the busy timeout to 5000 ms and persists WAL in the file', async () => {
    const { db } = await open([createT1([])]);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();

    const raw = new Sqlite(file);
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('brings a new database to user_version = number of migrations, running the steps in order', async () => {
    const calls: string[] = [];
    const migrations = [
      createT1(calls),
      step(2, calls, (db) => db.exec("ALTER TABLE t1 ADD COLUMN kind TEXT NOT NULL DEFAULT 'walk-in'")),
      // Only works if step 2 already ran.
      step(3, calls, (db) => db.prepare("INSERT INTO t1 (name, kind) VALUES ('third', 'booked')").run()),
    ];

    const { db, schemaVersion, preMigrationBackup } = await open(migrations);

    expect(calls).toEqual(['step 1', 'step 2', 'step 3']);
    expect(schemaVersion).toBe(3);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(db.prepare('SELECT id, name, kind FROM t1 ORDER BY id').all()).toEqual([
      { id: 1, name: 'first', kind: 'walk-in' },
      { id: 2, name: 'second', kind: 'walk-in' },
      { id: 3, name: 'third', kind: 'booked' },
    ]);
    expect(preMigrationBackup).toBeUndefined();
  });

  it('runs only the pending steps on an existing database, and nothing once it is current', async () => {
    const calls: string[] = [];
    const migrations = [
      createT1(calls),
      step(2, calls, (db) => db.exec('ALTER TABLE t1 ADD COLUMN note TEXT')),
      step(3, calls, (db) => db.prepare("UPDATE t1 SET note = 'migrated'").run()),
    ];
    await createAt(migrations.slice(0, 1));
    expect(calls).toEqual(['step 1']);

    const second = await open(migrations);
    expect(calls).toEqual(['step 1', 'step 2', 'step 3']);
    expect(second.db.pragma('user_version', { simple: true })).toBe(3);
    expect(second.db.prepare('SELECT note FROM t1').pluck().all()).toEqual(['migrated', 'migrated']);
    second.db.close();

    const third = await open(migrations);
    expect(calls).toHaveLength(3);
    expect(third.schemaVersion).toBe(3);
    expect(third.preMigrationBackup).toBeUndefined();
  });

  it('rejects a migration list with a gap before touching the disk', async () => {
    const broken = [createT1([]), step(3, [], () => {})];
    await expect(openDatabase({ file, migrations: broken })).rejects.toThrow(/has version 3, expected 2/);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('openDatabase: a failing migration', () => {
  it('rolls back every pending step of the run, rejects with that error and closes the file', async () => {
    await createAt([createT1([])]);
    const before = snapshot(file);
    expect(before.userVersion).toBe(1);

    const calls: string[] = [];
    const boom = new Error('boom in step 3');
    const migrations = [
      createT1(calls),
      step(2, calls, (db) => {
        db.exec('CREATE TABLE t2 (id INTEGER PRIMARY KEY, v TEXT)');
        db.prepare("INSERT INTO t2 (v) VALUES ('a'), ('b')").run();
        db.prepare("INSERT INTO t1 (name) VALUES ('from step 2')").run();
      }),
      step(3, calls, (db) => {
        db.exec('CREATE TABLE t3 (id INTEGER PRIMARY KEY)');
        db.prepare("UPDATE t1 SET name = 'clobbered'").run();
        throw boom;
      }),
    ];

    await expect(openDatabase({ file, migrations })).rejects.toBe(boom);
    // Step 2 really ran and committed nothing on its own: the whole run is one transaction.
    expect(calls).toEqual(['step 2', 'step 3']);
    // The last connection closing removes the WAL files; leftovers would mean a leaked handle.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(fs.existsSync(`${file}-shm`)).toBe(false);

    expect(snapshot(file)).toEqual(before);

    // Nothing holds a lock: a fresh open with no wait succeeds and can write.
    const again = await open([createT1([])], { busyTimeoutMs: 0 });
    expect(again.db.pragma('user_version', { simple: true })).toBe(1);
    again.db.prepare("INSERT INTO t1 (name) VALUES ('after')").run();
  });

  it('leaves a brand-new database empty at version 0 when its first step fails', async () => {
    const migrations = [
      step(1, [], (db) => {
        db.exec('CREATE TABLE t1 (id INTEGER PRIMARY KEY)');
        db.prepare('INSERT INTO t1 DEFAULT VALUES').run();
        db.exec('THIS IS NOT SQL');
      }),
    ];

    await expect(openDatabase({ file, migrations })).rejects.toThrow(expect.objectContaining({ code: 'SQLITE_ERROR' }));

    const after = snapshot(file);
    expect(after.userVersion).toBe(0);
    expect(after.schema).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'backups'))).toBe(false);
  });
});

describe('openDatabase: refusing files it must not touch', () => {
  it('refuses a database from a newer build with DatabaseTooNewError and leaves it as it was', async () => {
    // As a newer OneWindow would have left it: WAL, data, a higher user_version.
    const raw = new Sqlite(file);
    raw.pragma('journal_mode = WAL');
    raw.exec("CREATE TABLE future (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO future (v) VALUES ('keep me');");
    raw.pragma('user_version = 5');
    raw.close();
    const before = snapshot(file);
    const bytes = fs.readFileSync(file);

    const calls: string[] = [];
    const error = await openDatabase({ file, migrations: [createT1(calls), step(2, calls, () => {})] }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(DatabaseTooNewError);
    expect(error).toMatchObject({ name: 'DatabaseTooNewError', file, fileVersion: 5, supportedVersion: 2 });
    expect(calls).toEqual([]);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(fs.existsSync(path.join(dir, 'backups'))).toBe(false);
    expect(snapshot(file)).toEqual(before);
    expect(before.userVersion).toBe(5);
  });

  /** Writes a WAL database of several pages and returns the number of a leaf page in the middle of table `t`. */
  async function createDatabaseToCorrupt(): Promise<{ pageNo: number; pageSize: number }> {
    const rows = step(1, [], (db) => {
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
      const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
      for (let i = 0; i < 500; i++) insert.run(`row ${i} ${'-'.repeat(50)}`);
    });
    const { db } = await open([rows]);
    const leaves = db
      .prepare("SELECT pageno FROM dbstat WHERE name = 't' AND pagetype = 'leaf' ORDER BY pageno")
      .pluck()
      .all() as number[];
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    expect(leaves.length).toBeGreaterThan(4);
    const pageNo = leaves[Math.floor(leaves.length / 2)];
    if (pageNo === undefined) throw new Error('no leaf page');
    return { pageNo, pageSize };
  }

  it('refuses a file with a damaged data page with DatabaseCorruptError and writes nothing', async () => {
    const { pageNo, pageSize } = await createDatabaseToCorrupt();
    const bytes = fs.readFileSync(file);
    // Garbage in the middle of a full leaf page: cell contents, well away from the file header.
    const at = (pageNo - 1) * pageSize + pageSize / 2;
    for (let i = 0; i < 64; i++) bytes[at + i] = (i * 37 + 11) & 0xff;
    fs.writeFileSync(file, bytes);

    const calls: string[] = [];
    const error = await openDatabase({ file, migrations: [createT1(calls), step(2, calls, () => {})] }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(DatabaseCorruptError);
    const problems = (error as DatabaseCorruptError).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems).not.toContain('ok');
    expect(problems.join('\n')).toContain(`page ${pageNo}`);
    expect((error as DatabaseCorruptError).file).toBe(file);

    expect(calls).toEqual([]);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['device.sqlite']);
  });

  it('refuses a file whose cell pointers point outside their page', async () => {
    const { pageNo, pageSize } = await createDatabaseToCorrupt();
    const bytes = fs.readFileSync(file);
    bytes.fill(0xff, (pageNo - 1) * pageSize + 8, (pageNo - 1) * pageSize + 24);
    fs.writeFileSync(file, bytes);

    const error = await open([createT1([])]).then(
      () => undefined,
      (e: unknown) => e,
    );
    // quick_check sometimes reports rows and sometimes throws SQLITE_CORRUPT itself; both must surface
    // as DatabaseCorruptError.
    expect(error, String(error)).toBeInstanceOf(DatabaseCorruptError);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['device.sqlite']);
  });

  // Switching to WAL rewrites header bytes 18-19, so it must wait until the checks have passed: a
  // corrupt rollback-journal file (e.g. one copied in by a technician) stays untouched.
  it('writes nothing to a corrupt file that is in rollback-journal mode', async () => {
    const raw = new Sqlite(file);
    raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const insert = raw.prepare('INSERT INTO t (v) VALUES (?)');
    raw.transaction(() => {
      for (let i = 0; i < 500; i++) insert.run(`row ${i} ${'-'.repeat(50)}`);
    })();
    const pageSize = raw.pragma('page_size', { simple: true }) as number;
    raw.close();
    const bytes = fs.readFileSync(file);
    const at = 4 * pageSize + pageSize / 2;
    for (let i = 0; i < 64; i++) bytes[at + i] = (i * 37 + 11) & 0xff;
    fs.writeFileSync(file, bytes);

    await expect(open([createT1([])])).rejects.toBeInstanceOf(DatabaseCorruptError);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a file of random bytes without changing it', async () => {
    // Deterministic "random" bytes, so a failure can be reproduced; byte 0 is not 'S' of the SQLite magic.
    const garbage = Buffer.alloc(8192);
    let x = 0x2545f491;
    for (let i = 0; i < garbage.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      garbage[i] = x & 0xff;
    }
    garbage[0] = 0;
    fs.writeFileSync(file, garbage);

    const calls: string[] = [];
    await expect(openDatabase({ file, migrations: [createT1(calls)] })).rejects.toBeInstanceOf(DatabaseCorruptError);
    expect(calls).toEqual([]);
    expect(fs.readFileSync(file).equals(garbage)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['device.sqlite']);
  });
});

describe('openDatabase: backup before migrating', () => {
  const dropSecond = (calls: string[]) =>
    step(2, calls, (db) => {
      db.prepare("DELETE FROM t1 WHERE name = 'second'").run();
      db.exec('CREATE TABLE t2 (id INTEGER PRIMARY KEY)');
    });

  it('backs up an existing database at its old version before running new steps', async () => {
    await createAt([createT1([])]);
    const before = snapshot(file);

    const { db, preMigrationBackup } = await open([createT1([]), dropSecond([])], {
      now: () => new Date('2025-04-01T08:30:15.250Z'),
    });

    expect(preMigrationBackup).toBe(path.join(dir, 'backups', 'device.pre-v2.20250401-083015.sqlite'));
    expect(fs.readdirSync(path.join(dir, 'backups'))).toEqual(['device.pre-v2.20250401-083015.sqlite']);
    // The live database did move on; the backup did not.
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare('SELECT name FROM t1').pluck().all()).toEqual(['first']);
    expect(snapshot(preMigrationBackup as string)).toEqual(before);
    expect(before.rows['t1']).toEqual([
      { id: 1, name: 'first' },
      { id: 2, name: 'second' },
    ]);
  });

  it('writes the pre-migration backup to backupDir when given', async () => {
    await createAt([createT1([])]);
    const backupDir = path.join(dir, 'elsewhere', 'nested');

    const { preMigrationBackup } = await open([createT1([]), dropSecond([])], { backupDir });

    expect(preMigrationBackup).toBeDefined();
    expect(path.dirname(preMigrationBackup as string)).toBe(backupDir);
    expect(snapshot(preMigrationBackup as string).userVersion).toBe(1);
    expect(fs.existsSync(path.join(dir, 'backups'))).toBe(false);
  });

  it('takes no backup of a brand-new database', async () => {
    const { preMigrationBackup } = await open([createT1([]), dropSecond([])]);
    expect(preMigrationBackup).toBeUndefined();
    expect(fs.existsSync(path.join(dir, 'backups'))).toBe(false);
  });
});

describe('openDatabase: process killed mid-migration', () => {
  it('keeps the database at the last committed version and finishes the migration on the next start', async () => {
    await createAt([fixtureV1]);
    const before = snapshot(file);
    expect(before.rows['applicant']).toHaveLength(V1_ROWS);

    const child = spawnSync(process.execPath, ['--import', 'tsx', fixtureScript, file], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 50_000,
    });
    expect(child.signal, `child stderr:\n${child.stderr}`).toBe('SIGKILL');
    expect(child.status).toBeNull();
    // Uncommitted pages did reach the WAL, so recovery below has something to ignore.
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);

    // Read-only so this look does not checkpoint or clean up before openDatabase meets the file.
    const afterKill = snapshot(file, { readonly: true });
    expect(afterKill).toEqual(before);
    expect(afterKill.schema.map((s) => (s as { name: string }).name)).not.toContain('ticket');
    const raw = new Sqlite(file, { readonly: true });
    try {
      expect(quickCheck(raw)).toEqual(['ok']);
    } finally {
      raw.close();
    }

    // The killed run got as far as its backup; it must be complete and at v1.
    const killedRunBackup = latestBackup(path.join(dir, 'backups'), file, 'pre-v2');
    expect(killedRunBackup).toBeDefined();
    expect(fs.readdirSync(path.join(dir, 'backups')).filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(snapshot(killedRunBackup as string)).toEqual(before);

    const { db, schemaVersion, preMigrationBackup } = await open([fixtureV1, fixtureV2({ dieMidway: false })]);
    expect(schemaVersion).toBe(2);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(preMigrationBackup).toBeDefined();
    expect(db.prepare('SELECT count(*) FROM ticket').pluck().get()).toBe(V2_ROWS);
    expect(db.prepare('SELECT * FROM applicant ORDER BY rowid').all()).toEqual(before.rows['applicant']);
    expect(quickCheck(db)).toEqual(['ok']);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});
