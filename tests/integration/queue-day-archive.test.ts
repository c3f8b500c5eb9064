import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ARCHIVE_CHUNK_TICKETS, queueDayArchivedArgs, type QueueDayArchivedArgs } from '@shared/sync/mutations/queue';
import { startQueueCore } from '../fixtures/queue-core';
import { decodeArgs } from '../../electron/core/store/outbox-args';
import { OUTBOX_ROWS } from '../fixtures/outbox-rows';

type Q = Awaited<ReturnType<typeof startQueueCore>>;
let q: Q;
beforeEach(async () => {
  // Monday 2026-03-02 10:00 in Shanghai; the hall day resets at 03:00.
  q = await startQueueCore();
});
afterEach(() => q.stop());

const NEXT_DAY = '2026-03-02T19:30:00.000Z'; // 03:30 on the 3rd in Shanghai: past the reset
const MIN = 60_000;

const archived = () =>
  q.db
    .prepare<[], { args: Buffer; entity_id: string }>(
      `SELECT args, entity_id FROM (${OUTBOX_ROWS}) WHERE name = 'queue.day.archived' ORDER BY seq`,
    )
    .all()
    .map((r) => ({ entityId: r.entity_id, args: decodeArgs(r.args) as QueueDayArchivedArgs }));
const count = (table: string) => (q.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** w1: clerk01 signs in and serves one ticket 10:01–10:11; two others are never called. */
function seedDay() {
  q.signIn('w1');
  const served = q.issue();
  const uncalled = q.issue('social');
  const waiting = q.issue('fund');
  q.advance(MIN);
  const at = (counterId: string) => ({ mutationId: q.m(), counterId });
  q.queue.callSpecific({ ...at('w1'), ticketId: served.id }, q.clerk('w1'));
  q.queue.start({ ...at('w1'), ticketId: served.id }, q.clerk('w1'));
  q.advance(10 * MIN);
  q.queue.finish({ ...at('w1'), ticketId: served.id }, q.clerk('w1'));
  return { served, uncalled, waiting };
}

describe('the daily reset reports the archived day to central', () => {
  it('appends the day’s tickets and sign-ins in the reset’s transaction', () => {
    const { served, uncalled, waiting } = seedDay();
    expect(archived()).toEqual([]);
    q.setNow(NEXT_DAY);
    expect(q.queue.rollover()).toBe(true);

    const [only, ...rest] = archived();
    expect(rest).toEqual([]);
    expect(only!.entityId).toBe('queue-day:2026-03-02:0');
    const args = queueDayArchivedArgs.parse(only!.args);
    expect(args).toMatchObject({ hallDay: '2026-03-02', chunk: 0, chunks: 1 });
    expect(args.queues.map((x) => x.id)).toEqual(['general', 'business', 'property', 'social', 'fund']);
    expect(args.counters.map((c) => c.number)).toEqual([1, 2, 3, 4, 5, 12]);
    const byId = new Map(args.tickets.map((t) => [t.id, t]));
    expect(byId.get(served.id)).toEqual({
      id: served.id,
      queueId: 'general',
      parentId: null,
      state: 'done',
      counterId: 'w1',
      issuedAt: '2026-03-02T02:00:00.000Z',
      firstCalledAt: '2026-03-02T02:01:00.000Z',
      serviceStartedAt: '2026-03-02T02:01:00.000Z',
      finishedAt: '2026-03-02T02:11:00.000Z',
      finishedBy: { clerkId: 'clerk01', name: '王丽', at: '2026-03-02T02:11:00.000Z' },
    });
    expect(byId.get(uncalled.id)).toMatchObject({ state: 'waiting', queueId: 'social', finishedBy: null });
    expect(byId.get(waiting.id)).toMatchObject({ queueId: 'fund', firstCalledAt: null });
    // Nobody signed out: the sign-in goes as open.
    expect(args.sessions).toEqual([
      {
        counterId: 'w1',
        clerkId: 'clerk01',
        clerkName: '王丽',
        signedInAt: '2026-03-02T02:00:00.000Z',
        signedOutAt: null,
      },
    ]);
    expect(count('ticket_history')).toBe(3);
    expect(count('tickets')).toBe(0);

    // The next reset has no ticket, but clerk01's open sign-in overlaps that day too.
    q.setNow('2026-03-03T19:30:00.000Z');
    q.queue.rollover();
    expect(archived().map((a) => [a.args.hallDay, a.args.tickets.length, a.args.sessions.length])).toEqual([
      ['2026-03-02', 3, 1],
      ['2026-03-03', 0, 1],
    ]);
  });

  it('sends nothing for a day without tickets or sign-ins', () => {
    q.setNow(NEXT_DAY);
    expect(q.queue.rollover()).toBe(true);
    expect(archived()).toEqual([]);
  });

  it('leaves the day un-archived when its report cannot be written, and archives it once it can', () => {
    seedDay();
    q.db.exec(`CREATE TRIGGER outbox_full BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    q.setNow(NEXT_DAY);
    expect(() => q.queue.rollover()).toThrow(/disk full/);
    expect(count('tickets')).toBe(3);
    expect(count('ticket_history')).toBe(0);
    expect(q.db.prepare('SELECT current_hall_day AS d FROM queue_settings').get()).toEqual({ d: '2026-03-02' });

    q.db.exec('DROP TRIGGER outbox_full');
    expect(q.queue.rollover()).toBe(true);
    expect(count('ticket_history')).toBe(3);
    expect(archived()).toHaveLength(1);
  });

  it('cuts a busy day into chunks that each fit the mutation schema', () => {
    const n = 2 * ARCHIVE_CHUNK_TICKETS + 50;
    for (let i = 0; i < n; i++) q.issue(['general', 'social', 'fund'][i % 3]);
    q.setNow(NEXT_DAY);
    q.queue.rollover();
    const chunks = archived();
    expect(chunks.map((c) => [c.args.chunk, c.args.chunks, c.args.tickets.length])).toEqual([
      [0, 3, ARCHIVE_CHUNK_TICKETS],
      [1, 3, ARCHIVE_CHUNK_TICKETS],
      [2, 3, 50],
    ]);
    for (const c of chunks) expect(queueDayArchivedArgs.safeParse(c.args).success).toBe(true);
    expect(new Set(chunks.flatMap((c) => c.args.tickets.map((t) => t.id))).size).toBe(n);
  });
});

describe('the daily reset moves the day into history', () => {
  const pages = (sql: string) => q.db.prepare<[], { n: number }>(sql).get()!.n;
  const historyPages = () =>
    pages("SELECT count(*) AS n FROM dbstat WHERE name IN ('ticket_history', 'ticket_event_history')");

  it('in the pages the day’s tickets leave: the file grows by the report to central, not by a day of history', () => {
    q.signIn('w1');
    for (let i = 0; i < 400; i++) {
      const t = q.issue();
      const at = { mutationId: q.m(), counterId: 'w1' };
      q.queue.callSpecific({ ...at, ticketId: t.id }, q.clerk('w1'));
      q.queue.start({ ...at, mutationId: q.m(), ticketId: t.id }, q.clerk('w1'));
      q.queue.finish({ ...at, mutationId: q.m(), ticketId: t.id }, q.clerk('w1'));
      q.advance(MIN);
    }
    q.db.pragma('wal_checkpoint(TRUNCATE)');
    const before = { file: pages('SELECT page_count AS n FROM pragma_page_count'), history: historyPages() };
    q.setNow(NEXT_DAY);
    expect(q.queue.rollover()).toBe(true);
    q.db.pragma('wal_checkpoint(TRUNCATE)');
    const history = historyPages() - before.history;
    const outbox = pages("SELECT count(*) AS n FROM dbstat WHERE name = 'outbox'");
    expect(history).toBeGreaterThan(20);
    expect(pages('SELECT page_count AS n FROM pragma_page_count') - before.file).toBeLessThanOrEqual(outbox);
  });
});
