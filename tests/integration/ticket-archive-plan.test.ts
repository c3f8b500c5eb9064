import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { openDatabase } from '../../electron/core/db/open';
import { tempDir } from '../fixtures/temp-dir';

// The plan, not a timing: with foreign keys on, every deleted ticket needs a look-up of the tickets whose parent
// it is, and a scan there makes the daily archive quadratic in the day's tickets (38 s for 40,000 on the bench).
const opened: { db: Database; remove(): void }[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) {
    o.db.close();
    o.remove();
  }
});

async function planOfArchiveDelete(migrations: typeof deviceMigrations): Promise<string[]> {
  const tmp = tempDir('ow-archive-plan-');
  const { db } = await openDatabase({ file: `${tmp.dir}/device.sqlite`, migrations });
  opened.push({ db, remove: tmp.remove });
  expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  // The statement queue-store's archiveBefore ends with: its plan includes the foreign-key look-ups.
  return db
    .prepare<[string], { detail: string }>('EXPLAIN QUERY PLAN DELETE FROM tickets WHERE hall_day < ?')
    .all('2026-03-02')
    .map((r) => r.detail);
}

describe('archiving a day of tickets', () => {
  it('finds the children of each deleted ticket through an index, scanning tickets only once', async () => {
    const plan = await planOfArchiveDelete(deviceMigrations);
    expect(plan.filter((d) => d.startsWith('SCAN'))).toEqual(['SCAN tickets']);
    expect(plan).toContainEqual(expect.stringMatching(/^SEARCH tickets USING (COVERING )?INDEX tickets_parent /));
  });

  it('scanned tickets once per deleted ticket before migration 6 (what the check above tells apart)', async () => {
    const plan = await planOfArchiveDelete(deviceMigrations.slice(0, 5));
    expect(plan.filter((d) => d.startsWith('SCAN'))).toEqual(['SCAN tickets', 'SCAN tickets']);
  });
});
