/** States of a case (办件), DOMAIN.md "Case". */
export const CASE_STATES = [
  'draft',
  'accepted',
  'notice_issued',
  'rejected',
  'dispatched',
  'under_review',
  'in_progress',
  'supplement_requested',
  'completed',
  'returned',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const CASE_ACTIONS = [
  'accept',
  'issue_notice',
  'reject',
  'dispatch',
  'review',
  'start',
  'request_supplement',
  'resume',
  'complete',
  'return',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

const TRANSITIONS: Record<CaseAction, Partial<Record<CaseState, CaseState>>> = {
  accept: { draft: 'accepted' },
  issue_notice: { draft: 'notice_issued' },
  reject: { draft: 'rejected' },
  dispatch: { accepted: 'dispatched' },
  // 受理审查: the department checks the accepted materials before it works the case.
  review: { dispatched: 'under_review' },
  start: { dispatched: 'in_progress', under_review: 'in_progress' },
  // 补正: the department asks for what is missing; the clock stops until the applicant supplies it.
  request_supplement: { under_review: 'supplement_requested', in_progress: 'supplement_requested' },
  resume: { supplement_requested: 'in_progress' },
  complete: { in_progress: 'completed' },
  return: {
    dispatched: 'returned',
    under_review: 'returned',
    in_progress: 'returned',
    supplement_requested: 'returned',
  },
};

/** The state after `action`, or undefined when the action is not allowed from `from`. */
export function nextCaseState(from: CaseState, action: CaseAction): CaseState | undefined {
  return TRANSITIONS[action][from];
}

/**
 * States in which the promise still runs: a case here past its promised date is overdue. A case waiting
 * for 补正 is not: the time the applicant takes does not count against the promise (行政许可法 Art. 32).
 */
export const OPEN_CASE_STATES: readonly CaseState[] = ['accepted', 'dispatched', 'under_review', 'in_progress'];

/** States a department works in at central (its work queue); the others are the counter's or final. */
export const DEPARTMENT_CASE_STATES: readonly CaseState[] = [
  'dispatched',
  'under_review',
  'in_progress',
  'supplement_requested',
];

/** Final states: nothing moves a case out of them. */
export const FINAL_CASE_STATES: readonly CaseState[] = ['notice_issued', 'rejected', 'completed', 'returned'];

/**
 * The shortest run of actions from `from` to `to`: [] when already there, undefined when the machine
 * cannot get there (backwards, or out of a final state). A device that was offline hears only a case's
 * latest status from central, so it walks the steps it missed.
 */
export function caseActionsBetween(from: CaseState, to: CaseState): CaseAction[] | undefined {
  const paths = new Map<CaseState, CaseAction[]>([[from, []]]);
  const todo: CaseState[] = [from];
  for (let state = todo.shift(); state !== undefined; state = todo.shift()) {
    if (state === to) return paths.get(state);
    for (const action of CASE_ACTIONS) {
      const next = nextCaseState(state, action);
      if (next && !paths.has(next)) {
        paths.set(next, [...paths.get(state)!, action]);
        todo.push(next);
      }
    }
  }
  return undefined;
}
