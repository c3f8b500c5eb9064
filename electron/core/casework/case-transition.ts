import { AppError } from '@shared/api';
import { nextCaseState, type CaseAction } from '@shared/intake/case-states';
import type { CaseEventRecord, CaseRecord, CaseStore } from '../store/case-store';

/**
 * One checked step of a case's state machine with its event row; `c.state` follows. Inside the caller's
 * transaction. A step the machine does not allow is a CONFLICT (ILLEGAL_TRANSITION) and writes nothing.
 */
export function transitionCase(
  cases: Pick<CaseStore, 'setState' | 'insertEvent'>,
  c: CaseRecord,
  action: CaseAction,
  at: string,
  actor: string,
  note: string | null,
): CaseEventRecord {
  const to = nextCaseState(c.state, action);
  if (!to) {
    throw new AppError('CONFLICT', `a ${c.state} case cannot ${action}`, {
      reason: 'ILLEGAL_TRANSITION',
      from: c.state,
      action,
    });
  }
  const event: CaseEventRecord = { caseId: c.id, action, fromState: c.state, toState: to, at, actor, note };
  cases.setState(c.id, to, at);
  cases.insertEvent(event);
  c.state = to;
  return event;
}
