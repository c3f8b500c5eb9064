import { describe, expect, it } from 'vitest';
import { CASE_STATES, caseActionsBetween, nextCaseState } from '@shared/intake/case-states';

describe('caseActionsBetween: the steps a pulled case status walks', () => {
  it('walks the steps a device missed, and none when already there', () => {
    expect(caseActionsBetween('dispatched', 'completed')).toEqual(['start', 'complete']);
    expect(caseActionsBetween('accepted', 'in_progress')).toEqual(['dispatch', 'start']);
    expect(caseActionsBetween('dispatched', 'returned')).toEqual(['return']);
    expect(caseActionsBetween('completed', 'completed')).toEqual([]);
  });

  it('finds no way backwards or out of a final state', () => {
    expect(caseActionsBetween('completed', 'dispatched')).toBeUndefined();
    expect(caseActionsBetween('in_progress', 'dispatched')).toBeUndefined();
    expect(caseActionsBetween('returned', 'completed')).toBeUndefined();
    expect(caseActionsBetween('rejected', 'dispatched')).toBeUndefined();
  });

  it('answers, for every pair of states, a run of legal moves that ends in the target', () => {
    for (const from of CASE_STATES) {
      for (const to of CASE_STATES) {
        const path = caseActionsBetween(from, to);
        if (!path) continue;
        let state: (typeof CASE_STATES)[number] | undefined = from;
        for (const action of path) state = state && nextCaseState(state, action);
        expect(state, `${from} → ${to}`).toBe(to);
      }
    }
  });
});
