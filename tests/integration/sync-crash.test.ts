import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../fixtures/central-db';
import { openSyncDevice } from '../fixtures/central-device';
import { centralAdmin } from '../fixtures/central-server';
import { centralProcess, freePort, outboxAndCentral, outboxDrained, restartable } from '../fixtures/crash-processes';
import { tempDir } from '../fixtures/temp-dir';

const TOTAL = 3000;
const ROUNDS = 10;

/**
 * (2) Central and a device, each its own process, killed -9 at random moments (mid-batch), again and
 * again while the device writes. Afterwards: every acknowledged write is at central, none twice, the
 * queue is empty, and central received the device's writes in the order it made them.
 */
// Central as its own process holds a pool and a LISTEN connection: a PostgreSQL server only (tag `postgres`).
describe('kill -9 of central and of the device, repeatedly', { tags: ['postgres'] }, () => {
  const tmp = tempDir('ow-sync-crash-');
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let port: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    port = await freePort();
  });
  afterAll(async () => {
    await database.drop();
    tmp.remove();
  });

  it('loses no acknowledged write, duplicates none, and drains to zero', async () => {
    const central = centralProcess(database.url, port);
    await central.start();
    const admin = centralAdmin(central.url);
    const hall = await admin.createHall('CRASH1');
    const enrolled = await openSyncDevice({ dataDir: tmp.dir, name: 'crashy' });
    await enrolled.engine.enroll(central.url, await admin.code(hall.id, 'counter'));
    await enrolled.close();

    const device = restartable('tests/fixtures/central-device-process.ts', [tmp.dir, 'crashy', String(TOTAL)], {});
    device.start();
    const file = path.join(tmp.dir, 'device.sqlite');

    let killsCentral = 0;
    let killsDevice = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 500));
      if (round % 2 === 0) {
        await central.kill();
        killsCentral++;
        await new Promise((r) => setTimeout(r, 100));
        await central.start();
      } else {
        await device.kill();
        killsDevice++;
        device.start();
      }
    }
    await outboxDrained(file, TOTAL);
    await device.kill('SIGTERM');

    const { rows, atCentral, replicas } = await outboxAndCentral(file, database.url);
    await central.kill('SIGTERM');

    expect(killsCentral + killsDevice).toBe(ROUNDS);
    expect(rows).toHaveLength(TOTAL);
    expect(rows.every((r) => r.status === 'applied')).toBe(true);
    expect(atCentral).toEqual(rows.map((r) => r.mutation_id));
    // Every start of the device was a new replica; seqs of the old ones still arrived, in order.
    expect(replicas).toBeGreaterThanOrEqual(2);
  }, 300_000);
});
