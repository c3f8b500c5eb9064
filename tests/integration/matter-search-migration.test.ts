import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME } from '../../electron/core/config/paths';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { matterSearch } from '../../electron/core/db/migrations/011-matter-search';
import { openDatabase } from '../../electron/core/db/open';
import { createCatalogService } from '../../electron/core/services/catalog-service';
import { createCalendarStore } from '../../electron/core/store/calendar-store';
import { createCatalogStore } from '../../electron/core/store/catalog-store';
import { tempDir } from '../fixtures/temp-dir';

/**
 * Matters a device kept before the matter search knew other names and pinyin initials (migration 11):
 * they have no other names, and are found by the initials of their name from the first start on.
 */
describe('migration 11 on a device database with matters', () => {
  const tmp = tempDir('ow-migrate-matters-');
  const file = path.join(tmp.dir, DATABASE_FILE_NAME);
  afterAll(() => tmp.remove());

  it('fills in the initials of the matters already kept', async () => {
    const before = deviceMigrations.indexOf(matterSearch);
    const old = await openDatabase({ file, migrations: deviceMigrations.slice(0, before) });
    old.db.prepare("INSERT INTO departments (id, name_zh, name_en, phone) VALUES ('hrss', '人社局', 'HRSS', '')").run();
    old.db
      .prepare(
        `INSERT INTO matters (code, name_zh, name_en, department_id, applicant_types, fee_fen, legal_days,
           promised_days, active) VALUES ('HRSS-002', '社会保障卡申领', 'Social security card', 'hrss', '["person"]', 0, 30, 10, 1)`,
      )
      .run();
    old.db.close();

    const { db } = await openDatabase({ file, migrations: deviceMigrations });
    const catalog = createCatalogService({ catalog: createCatalogStore(db), calendar: createCalendarStore(db) });
    expect(catalog.matter('HRSS-002')?.keywords).toEqual([]);
    expect(catalog.matters({ query: 'shbzk' }).map((m) => m.code)).toEqual(['HRSS-002']);
    db.close();
  });
});
