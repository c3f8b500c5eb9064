import { describe, expect, it } from 'vitest';
import { DISPLAY_GRID_MIN_COUNTERS, type BoardTicket, type QueueCall } from '@shared/api';
import type { TicketState } from '@shared/queue/ticket-states';
import { chooseLayout, currentCall } from '../../renderer/src/stores/display-rules';

const call = (callId: number, ticketId: string, recall = false): QueueCall => ({
  callId,
  ticketId,
  ticketNumber: ticketId.toUpperCase(),
  queueId: 'general',
  counterNumber: 1,
  recall,
  at: '2026-03-02T02:00:00.000Z',
});
const row = (ticketId: string, state: TicketState, callId = 1): BoardTicket => ({
  ticketId,
  ticketNumber: ticketId.toUpperCase(),
  queueId: 'general',
  counterNumber: 1,
  callId,
  at: '2026-03-02T02:00:00.000Z',
  recalls: 0,
  noShow: state === 'no_show',
  state,
});

describe('the call the large panel shows', () => {
  it('is the newest call while its ticket is called, served or done', () => {
    const calls = [call(3, 'a2'), call(2, 'a1')];
    for (const state of ['called', 'serving', 'done'] as const) {
      expect(currentCall(calls, [row('a2', state), row('a1', 'done')])?.callId).toBe(3);
    }
  });

  it('leaves a call whose ticket lapsed (过号), moved or was cancelled, recall included', () => {
    const calls = [call(4, 'a2', true), call(3, 'a2'), call(2, 'a1')];
    for (const state of ['no_show', 'transferred', 'cancelled'] as const) {
      expect(currentCall(calls, [row('a2', state), row('a1', 'done')])).toBeNull();
    }
  });

  it('goes back to an older call only while its citizen is still expected at the window', () => {
    const calls = [call(3, 'a2'), call(2, 'a1')];
    expect(currentCall(calls, [row('a2', 'no_show'), row('a1', 'called')])?.callId).toBe(2);
    expect(currentCall(calls, [row('a2', 'no_show'), row('a1', 'serving')])).toBeNull();
    expect(currentCall([], [])).toBeNull();
  });
});

describe('the layout', () => {
  it('follows the setting; automatic turns to the grid of windows when many are signed in', () => {
    expect(chooseLayout('single', 20)).toBe('single');
    expect(chooseLayout('grid', 1)).toBe('grid');
    expect(chooseLayout('auto', DISPLAY_GRID_MIN_COUNTERS - 1)).toBe('single');
    expect(chooseLayout('auto', DISPLAY_GRID_MIN_COUNTERS)).toBe('grid');
  });
});
