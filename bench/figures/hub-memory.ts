// The hub's memory through the hub-over-HTTP figure's load (sampled each second), beside the bare
// server's through the same load: what a process doing the same work needs.
import type { hubHttpFigure } from './hub-http';
import { median, ratio } from '../lib/stats';

export function hubMemoryFigure(http: Awaited<ReturnType<typeof hubHttpFigure>>, seconds: number) {
  const end = (runs: typeof http.eachRun.hub) => median(runs.map((r) => r.rss.endMB));
  const value = {
    startMB: median(http.eachRun.hub.map((r) => r.rss.startMB)),
    endMB: end(http.eachRun.hub),
    maxMB: Math.max(...http.eachRun.hub.map((r) => r.rss.maxMB)),
  };
  return {
    what: `hub process RSS at the start and end of ${seconds} s of issue load (the hub-over-HTTP runs)`,
    limitWhat: 'the bare http server process after the same load',
    value,
    limit: { endMB: end(http.eachRun.bare) },
    ratio: ratio(value.endMB, end(http.eachRun.bare)),
    goal: '< 200 MB and flat',
    everySecondMB: http.eachRun.hub.map((r) => r.rssEverySecondMB),
  };
}
