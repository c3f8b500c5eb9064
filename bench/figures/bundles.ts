// What a browser downloads for each route of the renderer on a cold start, gzipped, against each public
// screen's budget: measured by the build check itself (scripts/route-sizes.mjs), so the bench and
// `npm test` never disagree on what a route costs. Read from the build in out/renderer (the full bench builds it).
import { checkRouteSizes } from '../../scripts/route-sizes.mjs';
import { ratio } from '../lib/stats';

const KB = (bytes: number) => +(bytes / 1000).toFixed(1);

export function bundlesFigure(rendererDir = 'out/renderer') {
  const rows = checkRouteSizes(rendererDir);
  const budgeted = rows.filter((r) => r.budgetKB !== null);
  return {
    what: 'gzipped cold-start download of each route (every JS and CSS file it fetches), KB of 1,000 bytes',
    limitWhat: 'the budget of each public screen (issue 18; ROUTES in scripts/route-sizes.mjs)',
    value: Object.fromEntries(rows.map((r) => [r.route, KB(r.bytes)])),
    limit: Object.fromEntries(budgeted.map((r) => [r.route, r.budgetKB!])),
    ratio: Object.fromEntries(budgeted.map((r) => [r.route, ratio(KB(r.bytes), r.budgetKB!)])),
    ratioWhat: 'KB / budget per screen (<= 1 meets it)',
  };
}
