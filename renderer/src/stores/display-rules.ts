import { DISPLAY_GRID_MIN_COUNTERS, type BoardTicket, type DisplaySettings, type QueueCall } from '@shared/api';
import type { TicketState } from '@shared/queue/ticket-states';

/** What the hall display shows, as plain rules over the board (the display store applies them). */

/** A ticket in these states has left the queue at that counter: its call is over, whatever came next. */
const LEFT_STATES: readonly TicketState[] = ['no_show', 'transferred', 'cancelled'];

/** How this screen lays out the calls: one large call with the recent ones, or a grid of every window. */
export type DisplayLayout = 'single' | 'grid';

/** The layout for a setting: 'auto' turns to the grid once DISPLAY_GRID_MIN_COUNTERS windows are signed in. */
export function chooseLayout(chosen: DisplaySettings['layout'], signedInCounters: number): DisplayLayout {
  if (chosen !== 'auto') return chosen;
  return signedInCounters >= DISPLAY_GRID_MIN_COUNTERS ? 'grid' : 'single';
}

/**
 * The call the large panel shows: the newest one, unless its ticket has since left (过号, transferred,
 * cancelled) — then an older call only while its citizen is still expected, else none.
 */
export function currentCall(calls: readonly QueueCall[], tickets: readonly BoardTicket[]): QueueCall | null {
  const states = new Map(tickets.map((r) => [r.ticketId, r.state]));
  for (const [i, c] of calls.entries()) {
    const state = states.get(c.ticketId);
    if (state && LEFT_STATES.includes(state)) continue;
    return i === 0 || state === 'called' ? c : null;
  }
  return null;
}
