import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';
import { startQueueCore } from '../fixtures/queue-core';
import { decodeArgs } from '../../electron/core/store/outbox-args';
import { OUTBOX_ROWS } from '../fixtures/outbox-rows';

/**
 * The PC clock of a hall device jumps a day forward or back (a dead CMOS battery, an operator fixing the
 * date). The queue's hall day rolls over once going forward and never goes back; numbers stay unique;
 * promised dates and overdue flags follow the clock; and sync ordering never reads a device clock.
 */
const DAY = 24 * 3600_000;

describe('clock jumps of one day: the queue', () => {
  let q: Awaited<ReturnType<typeof startQueueCore>>;
  beforeEach(async () => {
    q = await startQueueCore('2026-03-02T02:00:00.000Z'); // Monday 10:00 in Shanghai
  });
  afterEach(() => q.stop());

  const live = () =>
    q.db.prepare('SELECT hall_day AS day, number FROM tickets ORDER BY issued_at').all() as {
      day: string;
      number: string;
    }[];
  const history = () => (q.db.prepare('SELECT count(*) AS n FROM ticket_history').get() as { n: number }).n;
  const waitingAtW1 = () => {
    q.signIn('w1');
    return q.queue.view('w1', q.clerk('w1')).waiting.filter((x) => x.queueId === 'general');
  };

  it('forward: the day rolls over once, tickets go to history and numbering restarts', () => {
    expect([q.issue().number, q.issue().number]).toEqual(['A001', 'A002']);
    q.advance(DAY);
    expect(q.queue.rollover()).toBe(true);
    expect(q.queue.rollover()).toBe(false);
    expect(history()).toBe(2);
    expect(live()).toEqual([]);
    expect(q.issue().number).toBe('A001');
    expect(waitingAtW1()).toHaveLength(1);
    expect(history()).toBe(2);
  });

  it('backward: no rollover, nothing leaves or returns from history, numbers continue', () => {
    q.issue();
    q.advance(DAY); // Tuesday; Monday's ticket goes to history
    expect(q.queue.rollover()).toBe(true);
    const tuesday = [q.issue(), q.issue()];
    const historyBefore = history();
    expect(historyBefore).toBe(1);
    q.advance(-DAY); // the clock says Monday again
    expect(q.queue.rollover()).toBe(false);
    const during = q.issue();
    expect(during.number).toBe('A003');
    expect(history()).toBe(historyBefore);
    // Still waiting, all of them (the order among walk-ins follows arrival time, which the clock set back).
    expect(new Set(waitingAtW1().map((x) => x.id))).toEqual(new Set([...tuesday.map((x) => x.id), during.id]));
    // The clock is put right: still the same hall day, nothing archived twice, numbering unbroken.
    q.advance(DAY);
    expect(q.queue.rollover()).toBe(false);
    expect(q.issue().number).toBe('A004');
    expect(new Set(live().map((x) => x.number)).size).toBe(4);
    expect(new Set(live().map((x) => x.day))).toEqual(new Set([tuesday[0]!.hallDay]));
    // The next real day still rolls over once.
    q.advance(DAY);
    expect(q.queue.rollover()).toBe(true);
    expect(history()).toBe(historyBefore + 4);
    expect(q.issue().number).toBe('A001');
  });
});

describe('clock jumps of one day: cases and sync', () => {
  let t: IntakeCore;
  beforeEach(async () => {
    t = await startIntakeCore('2026-03-02T02:00:00.000Z');
  });
  afterEach(() => t.stop());

  it('promised dates and overdue flags follow the clock both ways', async () => {
    const c = await t.intake();
    expect(c.promisedDate).toBe('2026-03-11');
    t.setNow('2026-03-11T09:00:00.000Z'); // 17:00 on the promised day
    expect((await t.call('case.get', { caseId: c.id })).case.overdue).toBe(false);
    t.advance(DAY);
    expect((await t.call('case.get', { caseId: c.id })).case.overdue).toBe(true);
    expect((await t.call('case.list', { overdueOnly: true })).map((x) => x.id)).toEqual([c.id]);
    t.advance(-DAY);
    expect((await t.call('case.get', { caseId: c.id })).case.overdue).toBe(false);
    expect(await t.call('case.list', { overdueOnly: true })).toEqual([]);
  });

  it('sync ordering uses the outbox sequence, never a device clock', async () => {
    await t.person('11010519491231002', '张三');
    t.advance(-DAY);
    await t.person('11010519500101003', '李四');
    t.advance(2 * DAY);
    await t.person('11010519500101011', '王五');
    // The order the sync engine pushes in (and central records) is the outbox's write order.
    const rows = t.peek
      .prepare(
        `SELECT args, device_time AS at FROM (${OUTBOX_ROWS}) WHERE name = 'applicant.upsert' ORDER BY write_order`,
      )
      .all() as { args: Buffer; at: string }[];
    expect(rows.map((r) => (decodeArgs(r.args) as { name?: string }).name)).toEqual(['张三', '李四', '王五']);
    // ...while the device times written beside it went back and forth.
    expect(rows[1]!.at < rows[0]!.at && rows[2]!.at > rows[0]!.at).toBe(true);
  });
});
