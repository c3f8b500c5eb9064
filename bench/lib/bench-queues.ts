// The queues the load figures issue into: the demo hall's five and eight more. A queue issues at most
// 9,999 tickets a day (its numbers have four digits), and a hub issuing a few thousand a second runs five
// queues out of numbers within a 30 s run: every issue after that is refused and the figure would measure
// the refusals. Thirteen queues hold over 130,000 tickets.
import type { Queue } from '@shared/api';
import { DEMO_QUEUES } from '../../electron/core/queue/demo-hall';

export const EXTRA_QUEUES: Queue[] = 'FGHJKLMN'.split('').map((prefix, i) => ({
  ...DEMO_QUEUES[0]!,
  id: `load-${prefix.toLowerCase()}`,
  prefix,
  nameZh: `负载${prefix}`,
  nameEn: `Load ${prefix}`,
  applicantTypes: ['person'],
  opensAt: '00:00',
  closesAt: '23:59',
  dailyMax: 9999,
  sortOrder: 10 + i,
}));

export const BENCH_QUEUES: readonly Queue[] = [...DEMO_QUEUES, ...EXTRA_QUEUES];
