import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME } from '../../electron/core/config/paths';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { openDatabase } from '../../electron/core/db/open';
import { createOutboxStore } from '../../electron/core/store/outbox-store';
import { leaks } from '../fixtures/disk-leaks';
import { tempDir } from '../fixtures/temp-dir';

/**
 * The clear-text scans of the at-rest tests (fixtures/disk-leaks.ts) must still see what the outbox holds,
 * now that its args are deflated: a clear text there would be invisible to a scan of the file's bytes.
 */
describe('the disk leak scan', () => {
  it('finds a clear text kept only inside the deflated outbox args', async () => {
    const tmp = tempDir('ow-leaks-outbox-');
    try {
      const file = path.join(tmp.dir, DATABASE_FILE_NAME);
      const { db } = await openDatabase({ file, migrations: deviceMigrations });
      const outbox = createOutboxStore(db);
      const marker = 'CLEAR-TEXT-IN-OUTBOX-6142';
      db.transaction(() =>
        outbox.append({ name: 'audit.record', version: 1, args: { note: marker }, entityId: 'x' }, new Date()),
      )();
      db.pragma('wal_checkpoint(TRUNCATE)');
      // The bytes alone do not show it: this is what the scan must add.
      expect(fs.readFileSync(file).includes(Buffer.from(marker))).toBe(false);
      expect(leaks(file, [marker, 'NOT-THERE-0000'])).toEqual([marker]);
      db.close();
    } finally {
      tmp.remove();
    }
  });
});
