import type zh from '../zh-CN/analysis';

const en: typeof zh = {
  analysis: {
    nav: 'Cross-hall analysis',
    title: 'Cross-hall analysis',
    intro:
      'Cases, queues, ratings, complaints and return visits of each hall and department over the dates chosen, ' +
      'counted as the hall dashboard and the rating figures count them.',
    from: 'From',
    to: 'To',
    halls: 'Halls',
    allHalls: 'All halls',
    exportCsv: 'Export CSV',
    exportXlsx: 'Export Excel',
    fileName: 'cross-hall-analysis_{from}_{to}',
    hallsTitle: 'Halls ranked',
    departmentsTitle: 'Departments ranked',
    rank: 'Rank',
    hall: 'Hall',
    code: 'Code',
    department: 'Department',
    noData: 'Nothing in the dates chosen',
    generatedAt: 'Counted at {time}',
    sortBy: 'Sort by {label}',
    sortedAsc: 'sorted ascending',
    sortedDesc: 'sorted descending',
    fullLabel: '{group} · {label}',
    group: { cases: 'Cases', tickets: 'Queue', ratings: 'Ratings', feedback: 'Complaints' },
    col: {
      casesAccepted: 'Accepted',
      casesCompleted: 'Done',
      casesOverdue: 'Overdue',
      casesAgainstPromise: 'vs promise (working days)',
      ticketsIssued: 'Tickets',
      ticketsServed: 'Served',
      ticketsAvgWait: 'Avg wait',
      ticketsP90Wait: 'P90 wait',
      ratingsTotal: 'Count',
      ratingsSatisfaction: 'Satisfied',
      ratingsBad: 'Bad',
      ratingsRectification: 'Rectified',
      feedbackComplaints: 'Count',
      feedbackReturnVisit: 'Return visits',
    },
    unit: { percent: ' (%)', seconds: ' (s)', clock: ' (m:ss)' },
    about: 'About',
    item: 'Item',
    value: 'Value',
    range: 'Dates',
    generated: 'Counted at',
    note: 'Note',
    againstPromiseNote:
      'vs promise: completed cases, working days finished before (+) or after (−) the promised date, on average.',
    overdueNote: 'Overdue: cases still open past their promised date as of today, whatever the dates chosen.',
    ticketsNote: 'Queue figures cover the days each hall has reported to central (a day is reported the next day).',
    departmentsNote:
      'A department’s ratings are those of the visits that accepted its cases; its complaints and return visits ' +
      'are the items assigned to it.',
    invalid: {
      fromAfterTo: 'The start cannot be after the end',
      tooLong: 'At most 366 days',
      date: 'Choose a date',
      halls: 'Choose the halls again',
      refused: 'Central did not accept this; check it and try again',
    },
  },
};
export default en;
