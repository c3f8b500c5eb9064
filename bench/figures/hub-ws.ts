// Hub over WebSocket: `clients` kiosk sockets issuing tickets for `seconds` against the real hub, each
// issue fanned out as `queue.changed` to every socket; beside a bare `ws` server process doing the same
// insert and the same fan-out (see lib/issue-load.ts).
import { compareIssueLoad, type LoadClient } from '../lib/issue-load';
import { ratio } from '../lib/stats';

export async function hubWsFigure(load: LoadClient, plan: { clients: number; seconds: number; runs: number }) {
  const r = await compareIssueLoad(load, 'ws', plan);
  return {
    what: `the hub process, ${plan.clients} kiosk WebSockets for ${plan.seconds} s from another process, every result checked, numbers unique and gapless, queue.changed fanned out to every socket`,
    limitWhat: 'a bare ws server process: the same hello/call framing, the same insert, the same fan-out',
    runs: plan.runs,
    value: r.value,
    limit: r.limit,
    ratio: ratio(r.value.perSecond, r.limit.perSecond),
    goal: '>= 0.6',
    eachRun: r.eachRun,
  };
}
