import type zh from '../zh-CN/queue-kpi';

/** Queue KPI panels (admin, counter) texts (en-US); the type keeps the keys equal to zh-CN's. */
const en: typeof zh = {
  title: 'Queues today',
  titleCompact: 'This counter’s queues today',
  queue: 'Queue',
  fields: {
    waiting: 'Waiting',
    issued: 'Issued',
    served: 'Served',
    noShows: 'No-shows',
    avgWait: 'Avg wait',
    longestWait: 'Longest wait',
    avgService: 'Avg service',
  },
  none: '—',
  seconds: '{s} s',
  minutes: '{m} min {s} s',
  hours: '{h} h {m} min',
  empty: 'No queues set up yet',
  stale: 'Figures not updated; retrying…',
};
export default en;
