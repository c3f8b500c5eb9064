export default {
  notices: {
    nav: 'SMS dead letters',
    title: 'SMS notices not sent',
    intro:
      'Case notices that failed after every retry. Check the cause, then send again; phone numbers are shown in part.',
    table: 'Notices not sent',
    none: 'No unsent notices',
    kind: 'Notice',
    hall: 'Hall',
    caseNumber: 'Case number',
    phone: 'Phone',
    attempts: 'Attempts',
    lastError: 'Last error',
    deadAt: 'Given up at',
    actions: 'Actions',
    retry: 'Send again',
    retried: 'Back in the send queue',
    kinds: {
      case_accepted: 'Case accepted',
      supplement_requested: 'Supplement requested',
      case_completed: 'Completed, pickup',
      tolerance_due: 'Tolerated items due',
      ticket_near: 'Turn coming up',
      ticket_called: 'Ticket called',
    },
  },
};
