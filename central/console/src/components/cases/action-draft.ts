import { DEFAULT_APPEAL_ROUTE_ZH, type CaseDecisionOutcome, type PickupMethod } from '@shared/intake/case-outcome';
import { nextCaseState, type CaseState } from '@shared/intake/case-states';
import type { CaseActionBody, CaseDetail } from '@shared/console/cases';

/** What a department does to a case at the console, in the order the case page offers them. */
export const DEPARTMENT_ACTIONS = ['review', 'start', 'request_supplement', 'complete', 'return'] as const;
export type DepartmentAction = (typeof DEPARTMENT_ACTIONS)[number];

/** The actions the case's state allows (the shared state machine decides, as central does). */
export const allowedActions = (status: CaseState): DepartmentAction[] =>
  DEPARTMENT_ACTIONS.filter((a) => nextCaseState(status, a) !== undefined);

/**
 * Everything typed into an action's form. It outlives the dialog: a refusal or a conflict keeps it, so the
 * handler can submit it again without typing it anew.
 */
export interface ActionDraft {
  action: DepartmentAction;
  note: string;
  /** 补正: checklist materials asked for (by id) with a note each, and free items. */
  picked: string[];
  pickedNotes: Record<string, string>;
  free: { name: string; note: string }[];
  /** 办结: the decision and how the applicant gets the result. */
  outcome: CaseDecisionOutcome;
  reason: string;
  appealRoute: string;
  pickup: PickupMethod;
  carrier: string;
  trackingNumber: string;
}

export const newDraft = (action: DepartmentAction): ActionDraft => ({
  action,
  note: '',
  picked: [],
  pickedNotes: {},
  free: [],
  outcome: 'approved',
  reason: '',
  // A refusal must state the appeal route: the console offers the statutory wording to start from.
  appealRoute: DEFAULT_APPEAL_ROUTE_ZH,
  pickup: 'counter',
  carrier: '',
  trackingNumber: '',
});

/** The action's body as the API takes it (checked against the shared schema before it is sent). */
export function actOf(draft: ActionDraft, detail: CaseDetail): CaseActionBody {
  switch (draft.action) {
    case 'review':
    case 'start':
    case 'return':
      return { action: draft.action, note: draft.note };
    case 'request_supplement':
      return {
        action: 'request_supplement',
        note: draft.note,
        missing: [
          ...draft.picked.map((id) => ({
            materialId: id,
            name: detail.materials.find((m) => m.materialId === id)?.name ?? id,
            note: draft.pickedNotes[id] ?? '',
          })),
          ...draft.free.map((f) => ({ materialId: null, name: f.name, note: f.note })),
        ],
      };
    case 'complete':
      return {
        action: 'complete',
        note: draft.note,
        decision: {
          outcome: draft.outcome,
          reason: draft.reason,
          appealRoute: draft.outcome === 'denied' ? draft.appealRoute : '',
        },
        pickup: {
          method: draft.pickup,
          carrier: draft.pickup === 'post' ? draft.carrier : '',
          trackingNumber: draft.pickup === 'post' ? draft.trackingNumber : '',
        },
      };
  }
}
