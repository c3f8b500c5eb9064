import { describe, expect, it } from 'vitest';
import { err, ok, type HallClock, type Result } from '@shared/api';
import { createEventBus } from '../../electron/core/api/event-bus';
import { createHubHallClock } from '../../electron/core/services/hub-hall-clock';

const NEW_YORK: HallClock = { timeZone: 'America/New_York', resetTime: '03:00', hallDay: '2026-03-02' };

function clock(answers: Result<unknown>[]) {
  const bus = createEventBus();
  const adopted: Pick<HallClock, 'timeZone' | 'resetTime'>[] = [];
  let reads = 0;
  const hall = createHubHallClock({
    read: () => Promise.resolve(answers[Math.min(reads++, answers.length - 1)]!),
    adopt: (c) => adopted.push({ timeZone: c.timeZone, resetTime: c.resetTime }),
    localDay: () => '2026-03-01',
    bus,
    now: () => new Date('2026-03-02T02:00:00.000Z'),
  });
  return { hall, bus, adopted, reads: () => reads };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the hall clock of a device served by the hub', () => {
  it('adopts the hub’s zone and reset time and answers the hub’s hall day', async () => {
    const c = clock([ok(NEW_YORK)]);
    await c.hall.ready();
    expect(c.adopted).toEqual([{ timeZone: 'America/New_York', resetTime: '03:00' }]);
    expect(c.hall.hallDay()).toBe('2026-03-02');
  });

  it('counts the day here, from what it adopted last, while the hub cannot be reached', async () => {
    const c = clock([ok(NEW_YORK), err('UNAVAILABLE', 'the hall hub cannot be reached')]);
    await c.hall.ready();
    c.bus.publish('queue.changed', { hallDay: '' });
    await settle();
    expect(c.reads()).toBe(2);
    expect(c.adopted).toHaveLength(1);
    expect(c.hall.hallDay()).toBe('2026-03-01');
  });

  it('adopts nothing from an answer outside the contract', async () => {
    const c = clock([ok({ timeZone: 'Mars/Olympus', resetTime: '03:00', hallDay: '2026-03-02' })]);
    await c.hall.ready();
    expect(c.adopted).toEqual([]);
    expect(c.hall.hallDay()).toBe('2026-03-01');
  });

  it('reads again on each queue event, one read at a time, and stops when closed', async () => {
    const c = clock([ok(NEW_YORK)]);
    await c.hall.ready();
    for (let i = 0; i < 5; i++) c.bus.publish('queue.changed', { hallDay: '2026-03-02' });
    await settle();
    await settle();
    // The first event starts a read; the other four, arriving while it runs, make one more.
    expect(c.reads()).toBe(3);
    c.hall.close();
    c.bus.publish('queue.changed', { hallDay: '2026-03-02' });
    await settle();
    expect(c.reads()).toBe(3);
  });
});
