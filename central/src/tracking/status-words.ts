import type { CaseState } from '@shared/intake/case-states';
import type { CaseDecisionOutcome, PickupMethod } from '@shared/intake/case-outcome';

/**
 * The words the public reads for a case's state (the tracking page, Open311's `status_notes`): zh-CN only,
 * as the applicant's receipt. A state code never reaches a page or an answer.
 */
export const CASE_STATE_WORDS: Record<CaseState, string> = {
  draft: '草稿',
  accepted: '已受理',
  notice_issued: '已一次性告知',
  rejected: '不予受理',
  dispatched: '已分办',
  under_review: '受理审查中',
  in_progress: '办理中',
  supplement_requested: '补正中',
  completed: '已办结',
  returned: '已退回',
};

export const DECISION_WORDS: Record<CaseDecisionOutcome, string> = { approved: '准予', denied: '不予' };

export const PICKUP_WORDS: Record<PickupMethod, string> = { counter: '窗口领取', post: '邮寄' };

/** A case's state in words; a completed case says its decision too: 已办结（准予）. */
export function caseStatusWords(status: CaseState, decision: CaseDecisionOutcome | null): string {
  const words = CASE_STATE_WORDS[status];
  return status === 'completed' && decision ? `${words}（${DECISION_WORDS[decision]}）` : words;
}
