import { describe, expect, it } from 'vitest';
import { hallDay } from '@shared/queue/hall-day';
import { formatTicketNumber } from '@shared/queue/ticket-number';
import { TICKET_ACTIONS, TICKET_STATES, nextState } from '@shared/queue/ticket-states';

describe('ticket numbers', () => {
  it('pads to three digits, four after 999', () => {
    expect([1, 12, 999, 1000, 9999].map((s) => formatTicketNumber('A', s))).toEqual([
      'A001',
      'A012',
      'A999',
      'A1000',
      'A9999',
    ]);
  });
  it('refuses a sequence out of range', () => {
    for (const bad of [0, -1, 10000, 1.5]) expect(() => formatTicketNumber('A', bad)).toThrow(RangeError);
  });
});

describe('ticket state machine', () => {
  const legal: Record<string, string> = {
    'waiting/call': 'called',
    'waiting/transfer': 'transferred',
    'waiting/cancel': 'cancelled',
    'called/recall': 'called',
    'called/start': 'serving',
    'called/no_show': 'no_show',
    'called/transfer': 'transferred',
    'serving/finish': 'done',
    // The clerk learns only while serving that the applicant is at the wrong desk.
    'serving/transfer': 'transferred',
    'no_show/reactivate': 'waiting',
  };
  it.each(TICKET_STATES.flatMap((s) => TICKET_ACTIONS.map((a) => [s, a] as const)))('%s --%s-->', (state, action) => {
    expect(nextState(state, action)).toBe(legal[`${state}/${action}`]);
  });
});

describe('hall day', () => {
  it('rolls over at the reset time in the hall time zone', () => {
    // 03:00 in Shanghai is 19:00 UTC the day before.
    expect(hallDay(new Date('2026-03-01T18:59:00Z'), 'Asia/Shanghai', '03:00')).toBe('2026-03-01');
    expect(hallDay(new Date('2026-03-01T19:00:00Z'), 'Asia/Shanghai', '03:00')).toBe('2026-03-02');
    expect(hallDay(new Date('2026-03-01T16:00:00Z'), 'Asia/Shanghai', '00:00')).toBe('2026-03-02');
  });
});
