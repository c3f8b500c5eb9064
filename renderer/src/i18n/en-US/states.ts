import type zhCN from '../zh-CN/states';

const en: typeof zhCN = {
  caseState: {
    draft: 'Draft',
    accepted: 'Accepted',
    notice_issued: 'Notice issued',
    rejected: 'Rejected',
    dispatched: 'Dispatched',
    under_review: 'Under review',
    in_progress: 'In progress',
    supplement_requested: 'Awaiting supplement',
    completed: 'Completed',
    returned: 'Returned',
  },
  feedbackKind: { complaint: 'Complaint', suggestion: 'Suggestion', enquiry: 'Enquiry' },
  feedbackStatus: { open: 'Open', assigned: 'Assigned', resolved: 'Resolved', closed: 'Closed' },
  ratingLevel: { '5': 'Very satisfied', '4': 'Satisfied', '3': 'Fair', '2': 'Dissatisfied', '1': 'Very dissatisfied' },
};
export default en;
