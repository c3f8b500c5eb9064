// One 29-day dashboard read as a hall's administrator meets it: `queue.insight.tickets` (the ticket part
// of the dashboard, answered by the hub) over HTTP to the real hub process, with `historyTickets`
// finished tickets of earlier days in its history, beside the same read on the same hub empty. The
// hub's memory is sampled every 10 ms through the reads.
import path from 'node:path';
import { DATABASE_FILE_NAME } from '../../electron/core/config/paths';
import { startBenchHub, type BenchHub } from '../lib/hub';
import { BENCH_HALL_DAY } from '../lib/raw-ticket';
import { sampleRss } from '../lib/rss';
import { seedHistory } from '../lib/seed-history';
import { median, ratio } from '../lib/stats';

/** The 29 hall days before the hub's today (2026-02-01 … 2026-03-01). */
const RANGE = { from: '2026-02-01', to: '2026-03-01' };

async function reads(hub: BenchHub, n: number) {
  // The calls every device makes first, so the read meets a hub that has served.
  for (let i = 0; i < 20; i++) await hub.must(hub.tokens.kiosks[0]!, 'queue.kiosk.queues', {});
  const rss = sampleRss(hub.pid(), 10);
  const ms: number[] = [];
  let ticketsInRange = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const stats = await hub.must<{ totals: { issued: number } }>(hub.tokens.admin, 'queue.insight.tickets', RANGE);
    ms.push(performance.now() - t);
    ticketsInRange = stats.totals.issued;
  }
  const rssMB = rss.stop();
  return {
    ticketsInRange,
    firstReadMs: Math.round(ms[0]!),
    medianReadMs: Math.round(median(ms)),
    rssBeforeMB: rssMB[0]!,
    rssPeakMB: Math.max(...rssMB),
    rssAfterMB: rssMB.at(-1)!,
  };
}

export async function dashboardReadFigure(plan: { historyTickets: number; reads: number }) {
  const hub = await startBenchHub({ kiosks: 1 });
  try {
    const empty = await reads(hub, plan.reads);
    await hub.halt();
    const seeded = await seedHistory(path.join(hub.dataDir, DATABASE_FILE_NAME), plan.historyTickets, BENCH_HALL_DAY);
    await hub.start();
    const full = await reads(hub, plan.reads);
    return {
      what: `queue.insight.tickets for ${RANGE.from} … ${RANGE.to} (29 days) over HTTP to the hub process with ${seeded} tickets in history (${full.ticketsInRange} in the range); first read, median of ${plan.reads}`,
      limitWhat: 'the same read on the same hub with no history',
      value: { firstReadMs: full.firstReadMs, rssPeakMB: full.rssPeakMB },
      limit: { firstReadMs: empty.firstReadMs, rssPeakMB: empty.rssPeakMB },
      ratio: ratio(full.firstReadMs, Math.max(1, empty.firstReadMs)),
      ratioWhat: 'first read time with history / empty',
      rssRatio: ratio(full.rssPeakMB, empty.rssPeakMB),
      goal: '< 250 MB and < 300 ms with 100,000 in history',
      withHistory: full,
      empty,
    };
  } finally {
    await hub.stop();
  }
}
