/** States of a case (办件), DOMAIN.md "Case". */
export const CASE_STATES = [
  'draft',
  'accepted',
  'notice_issued',
  'rejected',
  'dispatched',
  'in_progress',
  'completed',
  'returned',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const CASE_ACTIONS = ['accept', 'issue_notice', 'reject', 'dispatch', 'start', 'complete', 'return'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

const TRANSITIONS: Record<CaseAction, Partial<Record<CaseState, CaseState>>> = {
  accept: { draft: 'accepted' },
  issue_notice: { draft: 'notice_issued' },
  reject: { draft: 'rejected' },
  dispatch: { accepted: 'dispatched' },
  start: { dispatched: 'in_progress' },
  complete: { in_progress: 'completed' },
  return: { dispatched: 'returned', in_progress: 'returned' },
};

/** The state after `action`, or undefined when the action is not allowed from `from`. */
export function nextCaseState(from: CaseState, action: CaseAction): CaseState | undefined {
  return TRANSITIONS[action][from];
}

/** States in which the promise still runs: a case here past its promised date is overdue. */
export const OPEN_CASE_STATES: readonly CaseState[] = ['accepted', 'dispatched', 'in_progress'];

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
