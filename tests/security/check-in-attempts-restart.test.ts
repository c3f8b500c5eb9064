import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@shared/api';
import type { Caller } from '../../electron/core/api/caller';
import { startQueueCore } from '../fixtures/queue-core';
import { tempDir } from '../fixtures/temp-dir';

/**
 * The limit of five wrong appointment codes in ten minutes per kiosk was counted in memory: whoever could
 * make the hub (or the app) restart got five more tries each time, without end. The count now lives in the
 * device database, so a core restarted on the same data folder still refuses that kiosk.
 */
const window = { queueId: 'general', windowStart: '2026-03-02T02:00:00Z', windowEnd: '2026-03-02T03:00:00Z' };
const WRONG = ['AAAAAAAAAA', 'BBBBBBBBBB', 'CCCCCCCCCC', 'DDDDDDDDDD', 'EEEEEEEEEE'];
const START = '2026-03-02T02:00:00.000Z';

type Core = Awaited<ReturnType<typeof startQueueCore>>;
let folder: ReturnType<typeof tempDir>;
let core: Core | undefined;
beforeEach(() => {
  folder = tempDir('ow-sec-check-in-restart-');
});
afterEach(() => {
  core?.stop();
  core = undefined;
  folder.remove();
});

/** Stops the running core, if any, and opens a new one on the same data folder at `at`. */
async function restart(at = START): Promise<Core> {
  core?.stop();
  core = await startQueueCore(at, { dataDir: folder.dir });
  return core;
}

function reason(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return ((e as AppError).details as { reason?: string } | undefined)?.reason ?? (e as AppError).code;
  }
}
const checkIn = (q: Core, code: string, caller: Caller = q.kiosk) =>
  reason(() => q.queue.checkIn({ mutationId: q.m(), code }, caller));
const book = (q: Core) => q.queue.createAppointment({ ...window, applicantType: 'person' }).code;

describe('the check-in attempt limit across a restart', () => {
  it('still locks the kiosk when wrong codes were split across a restart of the core', async () => {
    let q = await restart();
    for (const wrong of WRONG.slice(0, 3)) expect(checkIn(q, wrong)).toBe('UNKNOWN_APPOINTMENT');
    q = await restart();
    for (const wrong of WRONG.slice(3)) expect(checkIn(q, wrong)).toBe('UNKNOWN_APPOINTMENT');
    const code = book(q);
    expect(checkIn(q, code)).toBe('CHECK_IN_LOCKED');

    // A restart after the lock does not lift it either; another kiosk is not affected.
    q = await restart();
    expect(checkIn(q, code)).toBe('CHECK_IN_LOCKED');
    const other: Caller = { role: 'kiosk', transport: 'http', origin: 'kiosk-2' };
    expect(checkIn(q, code, other)).toBe('ok');
  });

  it('lifts the lock ten minutes after the first wrong code, and the old tries are pruned', async () => {
    let q = await restart();
    for (const wrong of WRONG) expect(checkIn(q, wrong)).toBe('UNKNOWN_APPOINTMENT');
    q = await restart('2026-03-02T02:10:00.001Z');
    expect(checkIn(q, book(q))).toBe('ok');
    // One more wrong code prunes the five aged out: only it is left.
    expect(checkIn(q, 'FFFFFFFFFF')).toBe('UNKNOWN_APPOINTMENT');
    expect(q.db.prepare('SELECT count(*) AS n FROM check_in_attempts').get()).toEqual({ n: 1 });
  });
});
