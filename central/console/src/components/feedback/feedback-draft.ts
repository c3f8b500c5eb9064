import type { RETURN_VISIT_METHODS, RETURN_VISIT_OUTCOMES } from '@shared/api/methods/feedback';
import type { z } from 'zod';
import type { FeedbackActionBody, FeedbackDetail, feedbackConflictSchema } from '@shared/console/feedback';
import { nextFeedbackStatus } from '@shared/intake/feedback-states';
import type { StaffRole } from '@shared/identity/staff';

export const FEEDBACK_CONSOLE_ACTIONS = ['assign', 'answer', 'return_visit', 'close', 'reopen'] as const;
export type FeedbackConsoleAction = (typeof FEEDBACK_CONSOLE_ACTIONS)[number];

/** The hall's supervisors chase an item (central administrators may stand in); its department answers it. */
const SUPERVISING: readonly StaffRole[] = ['supervisor', 'central_admin'];
const WHO: Record<FeedbackConsoleAction, readonly StaffRole[]> = {
  assign: SUPERVISING,
  answer: ['department_handler'],
  return_visit: SUPERVISING,
  close: SUPERVISING,
  reopen: SUPERVISING,
};

/** Whether the item's status allows the action (the shared state machine; a return visit needs an answer). */
function allowedFrom(detail: FeedbackDetail, action: FeedbackConsoleAction): boolean {
  switch (action) {
    case 'assign':
      return nextFeedbackStatus(detail.status, 'assign') !== undefined;
    case 'answer':
      return nextFeedbackStatus(detail.status, 'resolve') !== undefined;
    case 'return_visit':
      return detail.status === 'resolved';
    case 'close':
      return nextFeedbackStatus(detail.status, 'close') !== undefined;
    case 'reopen':
      return nextFeedbackStatus(detail.status, 'reopen') !== undefined;
  }
}

export const allowedFeedbackActions = (detail: FeedbackDetail, roles: readonly StaffRole[]) =>
  FEEDBACK_CONSOLE_ACTIONS.filter((a) => WHO[a].some((r) => roles.includes(r)) && allowedFrom(detail, a));

/** What was typed into an action's form; it survives a refusal and a conflict. */
export interface FeedbackDraft {
  action: FeedbackConsoleAction;
  note: string;
  departmentId: string;
  dueDate: string;
  answer: string;
  method: (typeof RETURN_VISIT_METHODS)[number];
  outcome: (typeof RETURN_VISIT_OUTCOMES)[number];
}

export const newFeedbackDraft = (action: FeedbackConsoleAction, detail: FeedbackDetail): FeedbackDraft => ({
  action,
  note: '',
  departmentId: detail.departmentId ?? '',
  dueDate: detail.dueDate,
  answer: '',
  method: 'phone',
  outcome: 'satisfied',
});

export function feedbackActOf(d: FeedbackDraft): FeedbackActionBody {
  switch (d.action) {
    case 'assign':
      return { action: 'assign', departmentId: d.departmentId, dueDate: d.dueDate, note: d.note };
    case 'answer':
      return { action: 'answer', answer: d.answer };
    case 'return_visit':
      return { action: 'return_visit', method: d.method, outcome: d.outcome, note: d.note };
    case 'close':
      return { action: 'close', note: d.note };
    case 'reopen':
      return { action: 'reopen', note: d.note };
  }
}

/** A 409 on a feedback item, with the item as it is now. */
export type FeedbackConflict = z.infer<typeof feedbackConflictSchema>;
