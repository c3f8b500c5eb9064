import { describe, expect, it } from 'vitest';
import { FEEDBACK_STATUSES } from '@shared/api/methods/feedback';
import { CASE_ACTIONS, CASE_STATES, nextCaseState, type CaseAction, type CaseState } from '@shared/intake/case-states';
import { nextFeedbackStatus, type FeedbackAction } from '@shared/intake/feedback-states';

/** DOMAIN.md "Case", written out as the full table of legal moves. */
const LEGAL: [CaseState, CaseAction, CaseState][] = [
  ['draft', 'accept', 'accepted'],
  ['draft', 'issue_notice', 'notice_issued'],
  ['draft', 'reject', 'rejected'],
  ['accepted', 'dispatch', 'dispatched'],
  ['dispatched', 'review', 'under_review'],
  ['dispatched', 'start', 'in_progress'],
  ['under_review', 'start', 'in_progress'],
  ['under_review', 'request_supplement', 'supplement_requested'],
  ['in_progress', 'request_supplement', 'supplement_requested'],
  ['supplement_requested', 'resume', 'in_progress'],
  ['in_progress', 'complete', 'completed'],
  ['dispatched', 'return', 'returned'],
  ['under_review', 'return', 'returned'],
  ['in_progress', 'return', 'returned'],
  ['supplement_requested', 'return', 'returned'],
];

describe('case state machine', () => {
  it('allows exactly the moves of the domain, every other pair is refused', () => {
    for (const from of CASE_STATES) {
      for (const action of CASE_ACTIONS) {
        const legal = LEGAL.find(([f, a]) => f === from && a === action);
        expect(nextCaseState(from, action), `${from} --${action}-->`).toBe(legal?.[2]);
      }
    }
  });

  it('has no way out of the final states', () => {
    for (const final of ['notice_issued', 'rejected', 'completed', 'returned'] as const) {
      expect(CASE_ACTIONS.map((a) => nextCaseState(final, a)).filter(Boolean)).toEqual([]);
    }
  });
});

const FEEDBACK_LEGAL: [string, FeedbackAction, string][] = [
  ['open', 'assign', 'assigned'],
  ['assigned', 'assign', 'assigned'],
  ['open', 'resolve', 'resolved'],
  ['assigned', 'resolve', 'resolved'],
  ['resolved', 'close', 'closed'],
  ['resolved', 'reopen', 'open'],
  ['closed', 'reopen', 'open'],
];

describe('feedback status machine', () => {
  it('allows exactly assign, resolve, close and reopen where they make sense', () => {
    for (const from of FEEDBACK_STATUSES) {
      for (const action of ['assign', 'resolve', 'close', 'reopen'] as const) {
        const legal = FEEDBACK_LEGAL.find(([f, a]) => f === from && a === action);
        expect(nextFeedbackStatus(from, action), `${from} --${action}-->`).toBe(legal?.[2]);
      }
    }
  });
});
