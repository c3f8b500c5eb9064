import type { FEEDBACK_STATUSES } from '../api/methods/feedback';

export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];
export type FeedbackAction = 'assign' | 'resolve' | 'close' | 'reopen';

const TRANSITIONS: Record<FeedbackAction, Partial<Record<FeedbackStatus, FeedbackStatus>>> = {
  // Reassigning an assigned item hands it to someone else.
  assign: { open: 'assigned', assigned: 'assigned' },
  resolve: { open: 'resolved', assigned: 'resolved' },
  close: { resolved: 'closed' },
  // A return visit that was not satisfied, or a citizen who calls back, reopens the item.
  reopen: { resolved: 'open', closed: 'open' },
};

/** The status after `action`, or undefined when the action is not allowed from `from`. */
export function nextFeedbackStatus(from: FeedbackStatus, action: FeedbackAction): FeedbackStatus | undefined {
  return TRANSITIONS[action][from];
}

/** Statuses in which the due date still runs. */
export const OPEN_FEEDBACK_STATUSES: readonly FeedbackStatus[] = ['open', 'assigned'];

/** Statuses in which the item has its answer (办复): a return visit asks the citizen about it, so only then. */
export const ANSWERED_FEEDBACK_STATUSES: readonly FeedbackStatus[] = ['resolved', 'closed'];
