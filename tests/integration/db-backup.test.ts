import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite, { type Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase, latestBackup } from '../../electron/core/db/backup';
import { scheduleDailyBackup } from '../../electron/core/db/daily-backup';
import type { Migration } from '../../electron/core/db/migration';
import { openDatabase } from '../../electron/core/db/open';

let dir: string;
let file: string;
let backups: string;
const handles: Database[] = [];
const stoppers: (() => void)[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ow-db-'));
  file = path.join(dir, 'device.sqlite');
  backups = path.join(dir, 'backups');
});

afterEach(() => {
  for (const stop of stoppers.splice(0)) stop();
  for (const db of handles.splice(0)) if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ACCOUNTS = 20;
const OPENING_BALANCE = 1000;

const ledgerSchema: Migration = {
  version: 1,
  name: 'ledger',
  up(db) {
    db.exec(`
      CREATE TABLE account (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL) STRICT;
      CREATE TABLE transfer (
        id      INTEGER PRIMARY KEY,
        from_id INTEGER NOT NULL REFERENCES account (id),
        to_id   INTEGER NOT NULL REFERENCES account (id),
        amount  INTEGER NOT NULL,
        filler  BLOB NOT NULL
      ) STRICT;
    `);
    const insert = db.prepare('INSERT INTO account (id, balance) VALUES (?, ?)');
    for (let id = 1; id <= ACCOUNTS; id++) insert.run(id, OPENING_BALANCE);
  },
};

async function openLedger(): Promise<Database> {
  const { db } = await openDatabase({ file, migrations: [ledgerSchema], backupDir: backups });
  handles.push(db);
  return db;
}

function readOnly(target: string): Database {
  const db = new Sqlite(target, { readonly: true, fileMustExist: true });
  handles.push(db);
  return db;
}

function contents(db: Database) {
  return {
    userVersion: db.pragma('user_version', { simple: true }),
    schema: db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all(),
    accounts: db.prepare('SELECT * FROM account ORDER BY id').all(),
    transfers: db.prepare('SELECT * FROM transfer ORDER BY id').all(),
  };
}

/** One ledger transaction; total money is conserved, which is what a torn backup would break. */
function makeTransfer(db: Database): (n: number) => void {
  const move = db.prepare('UPDATE account SET balance = balance + ? WHERE id = ?');
  const record = db.prepare('INSERT INTO transfer (from_id, to_id, amount, filler) VALUES (?, ?, ?, ?)');
  return db.transaction((n: number) => {
    const from = (n % ACCOUNTS) + 1;
    const to = ((n * 7 + 3) % ACCOUNTS) + 1;
    const amount = (n % 13) + 1;
    move.run(-amount, from);
    move.run(amount, to);
    record.run(from, to, amount, Buffer.alloc(2000, n & 0xff));
  });
}

function expectConsistentLedger(db: Database): void {
  expect((db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check)).toEqual(['ok']);
  expect(db.prepare('SELECT sum(balance) FROM account').pluck().get()).toBe(ACCOUNTS * OPENING_BALANCE);
  // Every balance must be explained by exactly the transfers present in the same snapshot.
  const mismatched = db
    .prepare(
      `SELECT a.id FROM account a
       WHERE a.balance != ${OPENING_BALANCE}
         + coalesce((SELECT sum(amount) FROM transfer WHERE to_id = a.id), 0)
         - coalesce((SELECT sum(amount) FROM transfer WHERE from_id = a.id), 0)`,
    )
    .all();
  expect(mismatched).toEqual([]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const listBackups = () => (fs.existsSync(backups) ? fs.readdirSync(backups).sort() : []);

describe('backupDatabase', () => {
  it('writes <base>.<label>.<stamp>.sqlite with the same content and no leftover .partial', async () => {
    const db = await openLedger();
    const transfer = makeTransfer(db);
    db.transaction(() => {
      for (let n = 0; n < 50; n++) transfer(n);
    })();
    const nested = path.join(backups, 'not', 'there', 'yet');

    const target = await backupDatabase(db, {
      dir: nested,
      label: 'manual',
      now: new Date('2025-05-06T07:08:09.987Z'),
    });

    expect(target).toBe(path.join(nested, 'device.manual.20250506-070809.sqlite'));
    expect(fs.readdirSync(nested)).toEqual(['device.manual.20250506-070809.sqlite']);
    const copy = readOnly(target);
    expect(contents(copy)).toEqual(contents(db));
    expect(contents(copy).transfers).toHaveLength(50);
    expectConsistentLedger(copy);
  });

  it('keeps only the newest `keep` backups of that label and leaves other labels alone', async () => {
    const db = await openLedger();
    await backupDatabase(db, { dir: backups, label: 'pre-v2', now: new Date('2025-01-01T00:00:00Z') });

    const days = ['2025-03-01', '2025-03-02', '2025-03-03', '2025-03-04', '2025-03-05'];
    for (const [i, day] of days.entries()) {
      await backupDatabase(db, { dir: backups, label: 'daily', now: new Date(`${day}T12:00:00Z`), keep: 3 });
      expect(listBackups().filter((f) => f.includes('.daily.'))).toHaveLength(Math.min(i + 1, 3));
    }

    expect(listBackups()).toEqual([
      'device.daily.20250303-120000.sqlite',
      'device.daily.20250304-120000.sqlite',
      'device.daily.20250305-120000.sqlite',
      'device.pre-v2.20250101-000000.sqlite',
    ]);
  });

  it('prunes nothing without `keep`', async () => {
    const db = await openLedger();
    for (const day of ['01', '02', '03', '04']) {
      await backupDatabase(db, { dir: backups, label: 'daily', now: new Date(`2025-03-${day}T12:00:00Z`) });
    }
    expect(listBackups()).toHaveLength(4);
  });

  it('latestBackup returns the newest stamp of the label, ignoring unfinished and foreign files', async () => {
    expect(latestBackup(backups, file, 'daily')).toBeUndefined();

    const db = await openLedger();
    // Taken out of order: "newest" means latest stamp, not latest written.
    for (const when of ['2025-03-03T10:00:00Z', '2025-03-01T10:00:00Z', '2025-03-02T23:59:59Z']) {
      await backupDatabase(db, { dir: backups, label: 'daily', now: new Date(when) });
    }
    fs.writeFileSync(path.join(backups, 'device.daily.20991231-000000.sqlite.partial'), 'half written');
    fs.writeFileSync(path.join(backups, 'other.daily.20991231-000000.sqlite'), 'another database');
    await backupDatabase(db, { dir: backups, label: 'pre-v9', now: new Date('2099-01-01T00:00:00Z') });

    expect(latestBackup(backups, file, 'daily')).toBe(path.join(backups, 'device.daily.20250303-100000.sqlite'));
    expect(latestBackup(backups, file, 'weekly')).toBeUndefined();
  });

  it('produces a consistent snapshot while another connection commits transfers', async () => {
    const db = await openLedger();
    const seed = makeTransfer(db);
    // Big enough (~4 MB) that the backup needs many steps, leaving room for writes in between.
    db.transaction(() => {
      for (let n = 0; n < 2000; n++) seed(n);
    })();

    const writer = new Sqlite(file);
    handles.push(writer);
    writer.pragma('busy_timeout = 5000');
    const transfer = makeTransfer(writer);
    let backupDone = false;
    let writesDuringBackup = 0;
    // Bounded: each write by another connection restarts the online backup, so an endless writer would
    // starve it (see the report).
    const writeSome = (n: number) => {
      if (backupDone || n >= 2000 + 30) return;
      transfer(n);
      writesDuringBackup++;
      setImmediate(() => writeSome(n + 1));
    };

    const backup = backupDatabase(db, { dir: backups, label: 'busy', now: new Date('2025-07-01T10:00:00Z') }).then(
      (target) => {
        backupDone = true;
        return target;
      },
    );
    setImmediate(() => writeSome(2000));
    const target = await backup;

    expect(writesDuringBackup).toBeGreaterThan(0);
    const copy = readOnly(target);
    expectConsistentLedger(copy);
    expect(copy.prepare('SELECT count(*) FROM transfer').pluck().get()).toBeGreaterThanOrEqual(2000);
    expectConsistentLedger(db);
  });

  it('produces a consistent snapshot while the same connection keeps writing', async () => {
    const db = await openLedger();
    const transfer = makeTransfer(db);
    db.transaction(() => {
      for (let n = 0; n < 2000; n++) transfer(n);
    })();

    let backupDone = false;
    let n = 2000;
    const writeUntilDone = () => {
      if (backupDone) return;
      transfer(n++);
      setImmediate(writeUntilDone);
    };
    const backup = backupDatabase(db, { dir: backups, label: 'busy', now: new Date('2025-07-01T10:00:00Z') }).then(
      (target) => {
        backupDone = true;
        return target;
      },
    );
    setImmediate(writeUntilDone);
    const target = await backup;

    expect(n).toBeGreaterThan(2000);
    const copy = readOnly(target);
    expectConsistentLedger(copy);
    expect(copy.prepare('SELECT count(*) FROM transfer').pluck().get()).toBeGreaterThanOrEqual(2000);
  });
});

describe('scheduleDailyBackup', () => {
  it('takes one backup at start, none again the same day, one each new day, and stops when told', async () => {
    const db = await openLedger();
    let clock = new Date('2025-06-01T09:00:00Z');
    const errors: unknown[] = [];
    const stop = scheduleDailyBackup(db, {
      dir: backups,
      keep: 2,
      now: () => clock,
      checkEveryMs: 20,
      onError: (e) => errors.push(e),
    });
    stoppers.push(stop);

    await waitFor(() => listBackups().length === 1, 'the start-up backup');
    expect(listBackups()).toEqual(['device.daily.20250601-090000.sqlite']);

    clock = new Date('2025-06-01T22:30:00Z');
    await sleep(150); // several checks
    expect(listBackups()).toEqual(['device.daily.20250601-090000.sqlite']);

    clock = new Date('2025-06-02T06:00:00Z');
    await waitFor(() => listBackups().length === 2, 'the next day backup');
    expect(listBackups()).toEqual(['device.daily.20250601-090000.sqlite', 'device.daily.20250602-060000.sqlite']);

    clock = new Date('2025-06-03T06:00:00Z');
    await waitFor(() => listBackups().includes('device.daily.20250603-060000.sqlite'), 'the third day backup');
    await sleep(60);
    // keep: 2 dropped the first day's.
    expect(listBackups()).toEqual(['device.daily.20250602-060000.sqlite', 'device.daily.20250603-060000.sqlite']);

    stop();
    clock = new Date('2025-06-04T06:00:00Z');
    await sleep(150);
    expect(listBackups()).toEqual(['device.daily.20250602-060000.sqlite', 'device.daily.20250603-060000.sqlite']);
    expect(errors).toEqual([]);
  });

  it('takes the start-up backup immediately, not after the first interval', async () => {
    const db = await openLedger();
    stoppers.push(scheduleDailyBackup(db, { dir: backups, keep: 3, now: () => new Date('2025-06-01T09:00:00Z') }));
    await waitFor(() => listBackups().length === 1, 'the start-up backup', 1000);
    const copy = readOnly(path.join(backups, 'device.daily.20250601-090000.sqlite'));
    expect(contents(copy)).toEqual(contents(db));
  });

  it('skips the start-up backup when today already has one', async () => {
    const db = await openLedger();
    await backupDatabase(db, { dir: backups, label: 'daily', now: new Date('2025-06-01T01:00:00Z') });

    stoppers.push(
      scheduleDailyBackup(db, { dir: backups, keep: 3, now: () => new Date('2025-06-01T09:00:00Z'), checkEveryMs: 20 }),
    );
    await sleep(100);
    expect(listBackups()).toEqual(['device.daily.20250601-010000.sqlite']);
  });

  it('does nothing, and reports nothing, once the database is closed', async () => {
    const db = await openLedger();
    let clock = new Date('2025-06-01T09:00:00Z');
    const errors: unknown[] = [];
    stoppers.push(
      scheduleDailyBackup(db, {
        dir: backups,
        keep: 3,
        now: () => clock,
        checkEveryMs: 20,
        onError: (e) => errors.push(e),
      }),
    );
    await waitFor(() => listBackups().length === 1, 'the start-up backup');

    db.close();
    clock = new Date('2025-06-02T09:00:00Z');
    await sleep(100);
    expect(listBackups()).toEqual(['device.daily.20250601-090000.sqlite']);
    expect(errors).toEqual([]);
  });
});
