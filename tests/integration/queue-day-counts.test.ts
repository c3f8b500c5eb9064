import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TICKET_NEAR_AHEAD } from '@shared/notices/notices';
import { DATABASE_FILE_NAME } from '../../electron/core/config/paths';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { queueDayCounts } from '../../electron/core/db/migrations/025-queue-day-counts';
import { openDatabase } from '../../electron/core/db/open';
import { countAhead, groupOf, orderCandidates } from '../../electron/core/queue/ordering';
import { newTicketId } from '../../electron/core/queue/ticket-id';
import { startQueueCore } from '../fixtures/queue-core';
import {
  undoCommandMethodCodes,
  undoPackedKeys,
  undoPackedTicketHistory,
  undoQueueDayCounts,
} from '../fixtures/migration-undo';
import { tempDir } from '../fixtures/temp-dir';
import type { Database } from 'better-sqlite3';

/**
 * The queue's day counts (device migration 025) are kept by triggers: after any mix of issues, check-ins,
 * calls, transfers, no-shows, reactivations and cancels they must equal a count of the tickets themselves,
 * and "people ahead" counted from them must equal the ticket's place in the whole call order.
 */
type Q = Awaited<ReturnType<typeof startQueueCore>>;
let q: Q | undefined;
afterEach(() => q?.stop());

const RECOUNT = `
  SELECT hall_day, queue_id,
    sum(state = 'waiting' AND target_counter_id IS NULL AND priority = 'none') AS waiting_regular,
    sum(state = 'waiting' AND target_counter_id IS NULL AND priority <> 'none') AS waiting_priority,
    sum(state = 'done' AND service_started_at IS NOT NULL) AS served,
    round(coalesce(sum(CASE WHEN state = 'done' AND service_started_at IS NOT NULL
      THEN unixepoch(finished_at, 'subsec') - unixepoch(service_started_at, 'subsec') END), 0), 3) AS service_seconds
  FROM tickets GROUP BY hall_day, queue_id ORDER BY hall_day, queue_id`;
const KEPT = `
  SELECT d.hall_day, d.queue_id, d.waiting_regular, d.waiting_priority, d.served, round(d.service_seconds, 3) AS service_seconds
  FROM queue_day_seq d WHERE EXISTS (SELECT 1 FROM tickets t WHERE t.hall_day = d.hall_day AND t.queue_id = d.queue_id)
  ORDER BY d.hall_day, d.queue_id`;
const recount = (db: Database) => db.prepare(RECOUNT).all();
const kept = (db: Database) => db.prepare(KEPT).all();

function lcg(seed: number) {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** A busy morning at two counters: every kind of ticket and every command a counter has. */
function busyHall(core: Q, steps: number, seed: number, check: () => void) {
  const random = lcg(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  core.signIn('w1');
  core.signIn('w2');
  for (let i = 0; i < steps; i++) {
    const r = random();
    const w = pick(['w1', 'w2']);
    const clerk = core.clerk(w);
    const view = core.queue.view(w, clerk);
    const current = view.current;
    try {
      if (r < 0.35) core.issue(pick(['general', 'social', 'fund']), random() < 0.3 ? 'elderly' : 'none');
      else if (r < 0.42) {
        const start = core.now().getTime() + pick([-10, 5, 30]) * 60_000;
        const code = core.queue.createAppointment({
          queueId: pick(['general', 'social']),
          windowStart: new Date(start).toISOString(),
          windowEnd: new Date(start + 20 * 60_000).toISOString(),
          applicantType: 'person',
        }).code;
        core.queue.checkIn({ mutationId: core.m(), code }, core.kiosk);
      } else if (!current || current.state === 'done') {
        core.queue.callNext({ mutationId: core.m(), counterId: w }, clerk);
      } else {
        const ids = { mutationId: core.m(), counterId: w, ticketId: current.id };
        if (current.state === 'called') {
          if (r < 0.6) core.queue.start(ids, clerk);
          else if (r < 0.7) core.queue.noShow(ids, clerk);
          else if (r < 0.75) core.queue.recall(ids, clerk);
          else if (r < 0.8) core.queue.cancel(ids, clerk);
          else core.queue.transfer({ ...ids, toCounterId: w === 'w1' ? 'w2' : 'w1' }, clerk);
        } else if (current.state === 'serving') {
          if (r < 0.85) core.queue.finish(ids, clerk);
          else core.queue.transfer({ ...ids, toQueueId: pick(['general', 'fund']) }, clerk);
        }
      }
      const noShow = view.noShows[0];
      if (noShow && random() < 0.2)
        core.queue.reactivate({ mutationId: core.m(), counterId: w, ticketId: noShow.id }, clerk);
    } catch (e) {
      // A refusal (nothing to call, a queue this counter does not serve) rolls back whole: counts must hold.
      if (!(e instanceof Error) || !('code' in e)) throw e;
    }
    core.advance(Math.floor(random() * 60_000));
    check();
  }
}

describe('queue day counts', () => {
  it('equal a count of the tickets after every command of a busy morning', async () => {
    q = await startQueueCore();
    const core = q;
    busyHall(core, 300, 20261206, () => expect(kept(core.db)).toEqual(recount(core.db)));
    const rows = recount(core.db) as { served: number; waiting_regular: number }[];
    // The morning did reach every count, so the equality above was not over zeros.
    expect(rows.some((r) => r.served > 3)).toBe(true);
    expect(rows.some((r) => r.waiting_regular > 3)).toBe(true);
  });

  it('give people ahead equal to the place in the whole order, and capped counts exact below the cap', async () => {
    q = await startQueueCore();
    const core = q;
    let checked = 0;
    busyHall(core, 150, 7, () => {
      const nowMs = core.now().getTime();
      const day = core.store.ticket(core.issue('general').id)!.hallDay;
      const waiting = core.store.ticketsInState(day, 'waiting').filter((t) => t.targetCounterId === null);
      for (const t of waiting) {
        const line = orderCandidates(
          waiting.filter((o) => o.queueId === t.queueId),
          { nowMs, priorityStreak: 0, priorityStreakLimit: core.queue.settings().priorityStreakLimit },
        );
        const place = line.findIndex((o) => o.id === t.id);
        const limit = core.queue.settings().priorityStreakLimit;
        expect(countAhead(groupOf(t, nowMs), core.store.aheadCounts(t, nowMs), limit)).toBe(place);
        const cap = TICKET_NEAR_AHEAD + 1;
        const capped = countAhead(groupOf(t, nowMs), core.store.aheadCounts(t, nowMs, cap), limit);
        if (place < cap) expect(capped).toBe(place);
        else expect(capped).toBeGreaterThanOrEqual(cap);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(1000);
  });

  it('are filled by the migration from the tickets a device already has', async () => {
    const tmp = tempDir('ow-migrate-day-counts-');
    try {
      const file = path.join(tmp.dir, DATABASE_FILE_NAME);
      const before = deviceMigrations.indexOf(queueDayCounts);
      // The hall as it stood under the previous schema: the queue core on a file, then its rows copied back.
      q = await startQueueCore(undefined, { dataDir: tmp.dir });
      busyHall(q, 120, 99, () => undefined);
      const expected = recount(q.db);
      undoCommandMethodCodes(q.db);
      undoPackedTicketHistory(q.db);
      undoPackedKeys(q.db);
      undoQueueDayCounts(q.db);
      q.db.pragma(`user_version = ${before}`);
      q.db.close();
      q = undefined;

      const { db } = await openDatabase({ file, migrations: deviceMigrations });
      try {
        expect(kept(db)).toEqual(expected);
        expect(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'tickets_waiting'").get()).toBeUndefined();
      } finally {
        db.close();
      }
    } finally {
      tmp.remove();
    }
  });
});

describe('ticket ids', () => {
  it('are UUIDs version 7 in issue order, even from a clock held still', () => {
    // Later than any clock the tests above ran the core at: the generator never goes back in time.
    const at = new Date('2030-01-01T02:00:00.000Z');
    const ids = Array.from({ length: 5000 }, () => newTicketId(at));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids.slice(0, 50))
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(ids[0]!.replace('-', '').slice(0, 12), 16)).toBe(at.getTime());
    const later = newTicketId(new Date(at.getTime() + 60_000));
    expect(later > ids.at(-1)!).toBe(true);
  });
});
