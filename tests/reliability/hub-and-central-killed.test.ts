import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../fixtures/central-db';
import { openSyncDevice } from '../fixtures/central-device';
import { centralAdmin } from '../fixtures/central-server';
import {
  centralProcess,
  freePort,
  outboxAndCentral,
  outboxDrained,
  restartable,
  whenReached,
} from '../fixtures/crash-processes';
import { heldTickets, startHubProcess } from '../fixtures/hub-process';
import { tempDir } from '../fixtures/temp-dir';
import { scaled } from './scale';

const KIOSKS = 4;
const TICKETS_PER_KIOSK = scaled(100, 1500);
const DEVICE_WRITES = scaled(1500, 20_000);
const CRASHES = scaled(2, 20);

/**
 * The hall at work when the power strip under the hub and the central server's host both go: kiosks
 * issue through the hub while a counter device syncs to central, and the hub and central are killed -9
 * together, mid-burst, more than once. Each kill alone is covered by tests/integration/hub-crash and
 * sync-crash; here they happen at once. Afterwards no acknowledged ticket is lost or doubled, the
 * device's outbox drains, and central holds each mutation once, in the device's order.
 */
// Central as its own process holds a pool and a LISTEN connection: a PostgreSQL server only (tag `postgres`).
describe('hub and central killed -9 together under load', { tags: ['postgres'] }, () => {
  const tmp = tempDir('ow-both-crash-');
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  beforeAll(async () => {
    database = await createTestDatabase();
    hub = await startHubProcess({ kiosks: KIOSKS });
  }, 60_000);
  afterAll(async () => {
    await hub.stop();
    await database.drop();
    tmp.remove();
  });

  it(
    'loses and doubles nothing on either side',
    async () => {
      const central = centralProcess(database.url, await freePort());
      await central.start();
      const admin = centralAdmin(central.url);
      const hall = await admin.createHall('BOTH1');
      const enrolled = await openSyncDevice({ dataDir: tmp.dir, name: 'counter-pc' });
      await enrolled.engine.enroll(central.url, await admin.code(hall.id, 'counter'));
      await enrolled.close();
      const device = restartable(
        'tests/fixtures/central-device-process.ts',
        [tmp.dir, 'counter-pc', String(DEVICE_WRITES)],
        {},
      );
      device.start();

      const acknowledged = new Map<string, { id: string; number: string }>();
      const total = KIOSKS * TICKETS_PER_KIOSK;
      // Spread the kills over the first 80% of the burst, whatever the machine's speed.
      const killAt = Array.from({ length: CRASHES }, (_, k) => Math.floor((total * 0.8 * (k + 1)) / (CRASHES + 1)));
      // Kiosks that reach the next kill's mark wait for it: a slow restart must not let the burst finish before
      // the next kill (then it would not hit the burst in flight).
      let kills = 0;
      let killed = nextKill();
      const burst = Promise.all(
        hub.tokens.kiosks.map(async (token) => {
          for (let i = 0; i < TICKETS_PER_KIOSK; i++) {
            while (kills < CRASHES && acknowledged.size >= killAt[kills]!) await killed.promise;
            const mutationId = hub.mutationId();
            acknowledged.set(mutationId, await hub.issueRetrying(token, mutationId));
          }
        }),
      );
      const ackedAtCrash: number[] = [];
      for (let k = 0; k < CRASHES; k++) {
        await whenReached(() => acknowledged.size, killAt[k]!);
        ackedAtCrash.push(acknowledged.size);
        await Promise.all([hub.kill('SIGKILL'), central.kill('SIGKILL')]);
        kills++;
        killed.resolve();
        killed = nextKill();
        // The kiosks go on at once, against a hub that is down: their retries wait for the restart.
        await new Promise((r) => setTimeout(r, 200));
        await Promise.all([hub.start(), central.start()]);
      }
      await burst;
      const file = path.join(tmp.dir, 'device.sqlite');
      await outboxDrained(file, DEVICE_WRITES, scaled(60_000, 300_000));
      await device.kill('SIGTERM');

      // Every crash hit the burst in flight.
      for (const n of ackedAtCrash) expect(n).toBeGreaterThan(0);
      for (const n of ackedAtCrash) expect(n).toBeLessThan(total);
      expect(acknowledged.size).toBe(total);

      // The hub: every acknowledged ticket waiting, each number once.
      await hub.call(hub.tokens.counter, 'queue.counter.signIn', {
        counterId: 'w1',
        login: 'clerk01',
        pin: '123456',
      });
      const held = await heldTickets(hub, hub.tokens.counter, acknowledged.values(), 'general');
      for (const t of acknowledged.values()) expect(held.states.get(t.id), `${t.number} lost`).toBe('waiting');
      expect(held.numbers.size).toBe(total);
      expect(held.waitingInQueue).toBe(total);

      // Central: the device's outbox drained, each mutation once, in its order.
      const { rows, atCentral } = await outboxAndCentral(file, database.url);
      await central.kill('SIGTERM');
      expect(rows).toHaveLength(DEVICE_WRITES);
      expect(rows.every((r) => r.status === 'applied')).toBe(true);
      expect(atCentral).toEqual(rows.map((r) => r.mutation_id));
    },
    scaled(120_000, 900_000),
  );
});

/** A promise the kill loop resolves (Node 20 has no Promise.withResolvers). */
function nextKill(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
