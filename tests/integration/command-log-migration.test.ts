import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME } from '../../electron/core/config/paths';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { commandLogWithoutRowid } from '../../electron/core/db/migrations/023-command-log-without-rowid';
import { openDatabase } from '../../electron/core/db/open';
import { tempDir } from '../fixtures/temp-dir';

/** Migration 23 rebuilds the command log without a rowid: the answers a retry needs are all still there. */
describe('migration 23 on a device database with a command log', () => {
  const tmp = tempDir('ow-migrate-command-log-');
  const file = path.join(tmp.dir, DATABASE_FILE_NAME);
  afterAll(() => tmp.remove());

  it('keeps every row and its key, in a table with no rowid and no second index', async () => {
    const before = deviceMigrations.indexOf(commandLogWithoutRowid);
    const old = await openDatabase({ file, migrations: deviceMigrations.slice(0, before) });
    const put = old.db.prepare('INSERT INTO command_log (mutation_id, method, result, at) VALUES (?, ?, ?, ?)');
    for (let i = 0; i < 50; i++) put.run(`m-${i}`, 'queue.ticket.issue', `{"n":${i}}`, `2026-12-0${(i % 5) + 1}`);
    old.db.close();

    const { db } = await openDatabase({ file, migrations: deviceMigrations });
    const rows = db.prepare<[], { mutation_id: string; result: string }>('SELECT * FROM command_log').all();
    expect(rows).toHaveLength(50);
    expect(db.prepare('SELECT result FROM command_log WHERE mutation_id = ?').get('m-7')).toEqual({
      result: '{"n":7}',
    });
    expect(() =>
      db
        .prepare(
          "INSERT INTO command_log (mutation_id, method, result, at) VALUES ('m-7', (SELECT min(id) FROM command_methods), '{}', 0)",
        )
        .run(),
    ).toThrow(/UNIQUE|PRIMARY KEY/);
    const sql = db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'command_log'").get()!.sql;
    expect(sql).toMatch(/WITHOUT ROWID/);
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'command_log'")
      .all();
    expect(indexes).toEqual([]);
    db.close();
  });
});
