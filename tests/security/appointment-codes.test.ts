import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@shared/api';
import { contract } from '@shared/api';
import type { Caller } from '../../electron/core/api/caller';
import { startQueueCore } from '../fixtures/queue-core';

/**
 * Appointment codes were 6 hex digits (24 bits) with no limit on wrong tries: a script on a kiosk (or any
 * caller with a kiosk session) could walk the space and take other citizens' appointments. Codes now carry
 * at least 40 bits in an alphabet a citizen can key without confusing 0/O or 1/I/L, and a device that sends
 * five wrong codes in ten minutes is refused until the oldest of them is ten minutes old.
 */
let q: Awaited<ReturnType<typeof startQueueCore>>;
beforeEach(async () => {
  q = await startQueueCore();
});
afterEach(() => q.stop());

const window = { queueId: 'general', windowStart: '2026-03-02T02:00:00Z', windowEnd: '2026-03-02T03:00:00Z' };
const book = () => q.queue.createAppointment({ ...window, applicantType: 'person' }).code;

function reason(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return ((e as AppError).details as { reason?: string } | undefined)?.reason ?? (e as AppError).code;
  }
}
const checkIn = (code: string, caller: Caller = q.kiosk) =>
  reason(() => q.queue.checkIn({ mutationId: q.m(), code }, caller));
const WRONG = ['AAAAAAAAAA', 'BBBBBBBBBB', 'CCCCCCCCCC', 'DDDDDDDDDD', 'EEEEEEEEEE'];

describe('appointment codes', () => {
  it('are 10 characters of a 30-symbol unambiguous alphabet (49 bits), all different', () => {
    const codes = Array.from({ length: 300 }, book);
    for (const code of codes) expect(code).toMatch(/^[2-9ABCDEFGHJKMNPQRSTVWXYZ]{10}$/);
    expect(new Set(codes).size).toBe(codes.length);
    // Every symbol of the alphabet turns up: the code is not drawn from a narrower set.
    expect(new Set(codes.join('')).size).toBe(30);
    expect(contract['queue.appointment.checkIn'].input.safeParse({ mutationId: q.m(), code: codes[0] }).success).toBe(
      true,
    );
  });

  it('refuses a device after five wrong codes in ten minutes, even its right code, and no other device', () => {
    const code = book();
    for (const wrong of WRONG) expect(checkIn(wrong)).toBe('UNKNOWN_APPOINTMENT');
    expect(checkIn(code)).toBe('CHECK_IN_LOCKED');
    const other: Caller = { role: 'kiosk', transport: 'http', origin: 'kiosk-2' };
    expect(checkIn(code, other)).toBe('ok');
    // Ten minutes after the first wrong code, that device may try again.
    q.setNow('2026-03-02T02:10:00.001Z');
    expect(checkIn(book())).toBe('ok');
  });

  it('counts a device across its sessions: a fresh session of the same device token does not reset it', () => {
    const device = { id: 'kiosk-device-A', counterIds: null, delegated: false };
    const session = (n: number): Caller => ({ role: 'kiosk', transport: 'ws', origin: `s-${n}`, device });
    WRONG.forEach((wrong, i) => expect(checkIn(wrong, session(i))).toBe('UNKNOWN_APPOINTMENT'));
    expect(checkIn(book(), session(99))).toBe('CHECK_IN_LOCKED');
  });

  it('tells the kiosk when it may try again', () => {
    for (const wrong of WRONG) checkIn(wrong);
    try {
      q.queue.checkIn({ mutationId: q.m(), code: book() }, q.kiosk);
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).details).toMatchObject({ reason: 'CHECK_IN_LOCKED', retryAt: '2026-03-02T02:10:00.000Z' });
    }
  });

  it('still checks in a short code issued before the change, within its window', () => {
    q.store.insertAppointment({
      code: 'A1B2C3',
      queueId: 'general',
      applicantType: 'person',
      windowStart: new Date(window.windowStart).toISOString(),
      windowEnd: new Date(window.windowEnd).toISOString(),
      holderHash: null,
    });
    expect(checkIn('a1b2c3')).toBe('ok');
  });
});
