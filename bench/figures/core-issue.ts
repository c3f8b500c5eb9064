// Core ticket issue: `tickets` tickets into one queue through the queue service on a real device file
// (the hub's core without its transport), beside the raw insert of the same ticket row (raw-ticket.ts).
// Throughput is tickets over the wall time of the whole run, not 1000 / p50. Runs alternate, each on a
// fresh file, so both sides meet the same disk and the same neighbours.
import { startQueueCore } from '../../tests/fixtures/queue-core';
import { openRaw, prepareTicketDb, rawTicketInserter } from '../lib/raw-ticket';
import { checkNumbers, median, perSecond, ratio, summarize, type IssuedNumber } from '../lib/stats';
import { ownedTempDir } from '../lib/processes';

const QUEUE = 'general';

async function timeIssues(n: number, issue: () => IssuedNumber) {
  const latencies: number[] = [];
  const issued: IssuedNumber[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    issued.push(issue());
    latencies.push(performance.now() - t);
  }
  const ms = performance.now() - t0;
  const check = checkNumbers(issued);
  if (!check.unique || !check.gapless) throw new Error(`numbers not unique and gapless: ${JSON.stringify(check)}`);
  return { perSecond: perSecond(n, ms), ...summarize(latencies) };
}

async function coreRun(n: number) {
  const q = await startQueueCore();
  try {
    return await timeIssues(n, () => {
      const t = q.issue(QUEUE);
      return { queueId: t.queueId, number: t.number };
    });
  } finally {
    q.stop();
  }
}

async function rawRun(n: number) {
  const tmp = ownedTempDir('ow-bench-raw-');
  const db = openRaw(await prepareTicketDb(tmp.dir));
  try {
    const issue = rawTicketInserter(db);
    return await timeIssues(n, () => issue(QUEUE));
  } finally {
    db.close();
    tmp.remove();
  }
}

export async function coreIssueFigure(plan: { tickets: number; runs: number }) {
  const core: Awaited<ReturnType<typeof coreRun>>[] = [];
  const raw: Awaited<ReturnType<typeof rawRun>>[] = [];
  for (let i = 0; i < plan.runs; i++) {
    raw.push(await rawRun(plan.tickets));
    core.push(await coreRun(plan.tickets));
  }
  const value = {
    perSecond: median(core.map((r) => r.perSecond)),
    p50Ms: median(core.map((r) => r.p50Ms)),
    p99Ms: median(core.map((r) => r.p99Ms)),
  };
  const limit = { perSecond: median(raw.map((r) => r.perSecond)), p50Ms: median(raw.map((r) => r.p50Ms)) };
  return {
    what: `queue service issue, ${plan.tickets} tickets into one queue, one at a time (numbers checked unique and gapless)`,
    limitWhat:
      'raw better-sqlite3 INSERT of the same ticket row into the real tickets table, WAL + FULL, one commit each',
    runs: plan.runs,
    value,
    limit,
    ratio: ratio(value.perSecond, limit.perSecond),
    goal: '>= 0.5',
    eachRun: { core, raw },
  };
}
