/** States of a queue ticket (DOMAIN.md, Queue). */
export const TICKET_STATES = ['waiting', 'called', 'serving', 'done', 'no_show', 'transferred', 'cancelled'] as const;
export type TicketState = (typeof TICKET_STATES)[number];

/** What a clerk or kiosk can do to a ticket; each is one event row. */
export const TICKET_ACTIONS = [
  'call',
  'recall',
  'start',
  'finish',
  'no_show',
  'reactivate',
  'transfer',
  'cancel',
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/** The only legal moves: anything not listed is refused. */
export const TRANSITIONS: Record<TicketAction, { from: readonly TicketState[]; to: TicketState }> = {
  call: { from: ['waiting'], to: 'called' },
  recall: { from: ['called'], to: 'called' },
  start: { from: ['called'], to: 'serving' },
  finish: { from: ['serving'], to: 'done' },
  no_show: { from: ['called'], to: 'no_show' },
  reactivate: { from: ['no_show'], to: 'waiting' },
  transfer: { from: ['waiting', 'called', 'serving'], to: 'transferred' },
  cancel: { from: ['waiting'], to: 'cancelled' },
};

export function nextState(from: TicketState, action: TicketAction): TicketState | undefined {
  const t = TRANSITIONS[action];
  return t.from.includes(from) ? t.to : undefined;
}

/** Tickets in these states still need the hall's attention today. */
export const OPEN_STATES: readonly TicketState[] = ['waiting', 'called', 'serving'];
