/**
 * names of the states and kinds that several pages show (counter, case list, dashboard, daily report): one
 * dictionary, so the same case state never has two names.
 */
export default {
  caseState: {
    draft: '草稿',
    accepted: '已受理',
    notice_issued: '已一次性告知',
    rejected: '不予受理',
    dispatched: '已分办',
    under_review: '受理审查中',
    in_progress: '办理中',
    supplement_requested: '待补正',
    completed: '已办结',
    returned: '已退回',
  },
  feedbackKind: { complaint: '投诉', suggestion: '建议', enquiry: '咨询' },
  feedbackStatus: { open: '待处理', assigned: '已交办', resolved: '已办复', closed: '已办结' },
  ratingLevel: { '5': '非常满意', '4': '满意', '3': '基本满意', '2': '不满意', '1': '非常不满意' },
};
