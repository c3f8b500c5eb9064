import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/api';
import type { RefRow } from '@shared/sync/wire';
import { createIntakePullAppliers, type IntakePullTargets } from '../../electron/core/sync/intake-pull-appliers';

const CASE_ID = '5b0e4a53-62f4-4a43-9d4b-5c0f0c6f7a11';
const FEEDBACK_ID = '0c3f3b0a-7f55-4d7e-9a55-0d6f1c9b2e22';
const row = (kind: string, id: string, version: number, data: unknown): RefRow => ({
  kind,
  id,
  version,
  deleted: false,
  data,
});

/** The intake's appliers over recording targets: what reached the services, and what was warned about. */
function appliers(refuse?: (what: string) => Error | undefined) {
  const applied: string[] = [];
  const warnings: object[] = [];
  const record = (what: string) => {
    const e = refuse?.(what);
    if (e) throw e;
    applied.push(what);
  };
  const targets = {
    catalog: {},
    cases: { applyCentralStatus: (s: { status: string }) => record(`case:${s.status}`) },
    feedback: { applyCentralStatus: (s: { status: string }) => record(`feedback:${s.status}`) },
    log: { warn: (obj: object) => void warnings.push(obj) },
  } as unknown as IntakePullTargets;
  return { all: createIntakePullAppliers(targets), applied, warnings };
}

const caseStatus = (status: string, extra: object = {}) => ({
  caseId: CASE_ID,
  status,
  at: '2026-03-03T02:00:00.000Z',
  ...extra,
});
const feedbackStatus = (extra: object = {}) => ({
  feedbackId: FEEDBACK_ID,
  status: 'assigned',
  departmentId: 'psb',
  dueDate: '2026-03-09',
  answer: null,
  answeredAt: null,
  escalation: 'due_soon',
  at: '2026-03-03T02:00:00.000Z',
  ...extra,
});

describe('the casework pull appliers', () => {
  it('hand each readable row to its service, the details as central may send them filled in', () => {
    const { all, applied, warnings } = appliers();
    all['case.status']!.apply(row('case.status', CASE_ID, 1, caseStatus('supplement_requested')));
    all['feedback.status']!.apply(row('feedback.status', FEEDBACK_ID, 2, feedbackStatus()));
    expect(applied).toEqual(['case:supplement_requested', 'feedback:assigned']);
    expect(warnings).toEqual([]);
  });

  it('skip a row they cannot read with a warning naming it, and go on with the next', () => {
    const { all, applied, warnings } = appliers();
    const bad = [
      row('case.status', CASE_ID, 3, caseStatus('paused')),
      // A refusal must name its appeal route: central never sends one without, a device never takes one.
      row(
        'case.status',
        CASE_ID,
        4,
        caseStatus('completed', { decision: { outcome: 'denied', reason: '', appealRoute: '' } }),
      ),
      row('case.status', CASE_ID, 5, caseStatus('supplement_requested', { missing: [{ name: '照片' }] })),
      row('feedback.status', FEEDBACK_ID, 6, feedbackStatus({ escalation: 'urgent' })),
      row('feedback.status', FEEDBACK_ID, 7, 'not an object'),
    ];
    for (const r of bad) all[r.kind]!.apply(r);
    all['case.status']!.apply(row('case.status', CASE_ID, 8, caseStatus('in_progress')));
    expect(applied).toEqual(['case:in_progress']);
    expect(warnings).toEqual(
      bad.map((r) => expect.objectContaining({ kind: r.kind, id: r.id, version: r.version, reason: 'BAD_REF_ROW' })),
    );
  });

  it('skip a row the service refuses (a conflict, a stale status) with a warning; a fault is not swallowed', () => {
    const { all, applied, warnings } = appliers((what) =>
      what === 'case:in_progress'
        ? new AppError('CONFLICT', 'no way there', { reason: 'CASE_STATUS_CONFLICT' })
        : what === 'feedback:resolved'
          ? new Error('disk I/O error')
          : undefined,
    );
    all['case.status']!.apply(row('case.status', CASE_ID, 9, caseStatus('in_progress')));
    expect(warnings).toEqual([expect.objectContaining({ id: CASE_ID, reason: 'CASE_STATUS_CONFLICT' })]);
    // Not a refusal: the page fails and is pulled again, rather than a row lost.
    expect(() =>
      all['feedback.status']!.apply(row('feedback.status', FEEDBACK_ID, 10, feedbackStatus({ status: 'resolved' }))),
    ).toThrow('disk I/O error');
    expect(applied).toEqual([]);
  });

  it('leave a case or feedback item as it is when central deletes its status row', () => {
    const { all, applied } = appliers();
    all['case.status']!.apply({ kind: 'case.status', id: CASE_ID, version: 11, deleted: true, data: null });
    all['feedback.status']!.apply({ kind: 'feedback.status', id: FEEDBACK_ID, version: 12, deleted: true, data: null });
    expect(applied).toEqual([]);
  });
});
