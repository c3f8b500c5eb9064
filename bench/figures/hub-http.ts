// Hub over HTTP: `clients` kiosks issuing tickets for `seconds` against the real hub process, beside a
// bare Node http server process doing the same insert (see lib/issue-load.ts). The hub's memory over
// the same load is the hub RSS figure; the bare server's is its limit.
import { compareIssueLoad, type LoadClient } from '../lib/issue-load';
import { ratio } from '../lib/stats';

export async function hubHttpFigure(load: LoadClient, plan: { clients: number; seconds: number; runs: number }) {
  const r = await compareIssueLoad(load, 'http', plan);
  return {
    what: `the hub process (out/host/hub.mjs), ${plan.clients} kiosk clients over HTTP for ${plan.seconds} s from another process, every answer checked, numbers unique and gapless per queue`,
    limitWhat: 'a bare node:http server process doing the same ticket insert, same clients',
    runs: plan.runs,
    value: r.value,
    limit: r.limit,
    ratio: ratio(r.value.perSecond, r.limit.perSecond),
    goal: '>= 0.5 and p99 < 50 ms',
    eachRun: r.eachRun,
  };
}
