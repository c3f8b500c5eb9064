// `npm run bench` (about half an hour on a loaded 2-core machine) or `npm run bench -- --quick` (under a
// minute, smaller counts, one run each), `-- --only=<figure>,…` for some: every figure measured as a user
// meets it, beside its limit measured the same way in the same run. Prints JSON and writes it to bench/results.json, with each figure's ratio to its limit in `ratios`.
// Never run by `npm test`: a benchmark is not a test. Every process it starts is stopped (lib/processes.ts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { attachmentUploadFigure, outboxUnderUploadsFigure } from './figures/attachment-upload';
import { bundlesFigure } from './figures/bundles';
import { callNextFigure } from './figures/call-next';
import { coreIssueFigure } from './figures/core-issue';
import { dashboardReadFigure } from './figures/dashboard-read';
import { casesDbSizeFigure, ticketsDbSizeFigure } from './figures/db-size';
import { hubHttpFigure } from './figures/hub-http';
import { hubMemoryFigure } from './figures/hub-memory';
import { hubWsFigure } from './figures/hub-ws';
import { syncCatchUpFigure } from './figures/sync-catchup';
import { startCentralProcess } from './lib/central';
import { offlineBacklog, type Backlog } from './lib/intake-backlog';
import { startLoadClient } from './lib/issue-load';
import { ownedCount } from './lib/processes';
import { FULL, QUICK } from './plan';

const plan = process.argv.includes('--quick') ? QUICK : FULL;
const load = () => os.loadavg().map((x) => +x.toFixed(2));
const sections: Record<string, { seconds: number; loadAverageAtStart: number[] }> = {};
const problems: string[] = [];

/** Runs one part; a failure is reported (and makes the exit code 1) without stopping the other parts. */
async function section<T>(name: string, fn: () => Promise<T> | T): Promise<T | { error: string }> {
  const t = performance.now();
  const loadAverageAtStart = load();
  try {
    return await fn();
  } catch (e) {
    const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    problems.push(`${name} failed: ${error.split('\n')[0]}`);
    process.stderr.write(`bench: ${name} failed: ${error}\n`);
    return { error };
  } finally {
    sections[name] = { seconds: +((performance.now() - t) / 1000).toFixed(1), loadAverageAtStart };
    process.stderr.write(`bench: ${name} ${sections[name].seconds} s\n`);
  }
}

const failed = (x: unknown): x is { error: string } => typeof x === 'object' && x !== null && 'error' in x;
const ratioOf = (x: unknown) => (typeof x !== 'object' || x === null || failed(x) || !('ratio' in x) ? null : x.ratio);

/** A run whose answers were not all checked tickets, or numbers that were not unique and gapless, is a problem. */
function checkAnswers(name: string, figure: unknown) {
  if (failed(figure)) return;
  const f = figure as { value: { allAnswersChecked: boolean }; limit: { allAnswersChecked: boolean } };
  if (!f.value.allAnswersChecked) problems.push(`${name}: the hub gave answers that were not unique, gapless tickets`);
  if (!f.limit.allAnswersChecked) problems.push(`${name}: the bare server gave answers that were not tickets`);
}

/** A figure that could not run here (no PostgreSQL server for central) is reported as a problem. */
function skippedIsProblem<T>(name: string, figure: T): T {
  if (typeof figure === 'object' && figure !== null && 'skipped' in figure) {
    problems.push(`${name} skipped: ${String(figure.skipped)}`);
  }
  return figure;
}

const FIGURES = [
  'coreIssue',
  'hubHttp',
  'hubWs',
  'hubMemoryUnderLoad',
  'callNext',
  'syncCatchUp',
  'dbPer10kCases',
  'dbPer10kTickets',
  'dashboardRead',
  'attachmentUpload',
  'outboxUnderUploads',
  'bundles',
];
/** `--only=a,b`: just those figures (and what they share), e.g. after working on one of them. */
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const only = onlyArg ? new Set(onlyArg.split(',')) : undefined;
const unknown = [...(only ?? [])].filter((f) => !FIGURES.includes(f));
if (unknown.length > 0) throw new Error(`no figure ${unknown.join(', ')}; the figures: ${FIGURES.join(', ')}`);
const want = (...figures: string[]) => !only || figures.some((f) => only.has(f));

async function main() {
  const tAll = performance.now();
  const loadAtStart = load();
  const bundles = plan.bundles && want('bundles');
  await section('build', () =>
    execFileSync(process.execPath, ['scripts/build.mjs', '--host', ...(bundles ? ['--renderer'] : [])], {
      stdio: 'ignore',
    }),
  );
  const figures: Record<string, unknown> = {};
  if (want('coreIssue')) {
    figures.coreIssue = await section('coreIssue', () =>
      coreIssueFigure({ tickets: plan.coreTickets, runs: plan.runs }),
    );
  }

  if (want('hubHttp', 'hubWs', 'hubMemoryUnderLoad')) {
    const loadPlan = { clients: plan.clients, seconds: plan.loadSeconds, runs: plan.runs };
    const client = await startLoadClient();
    try {
      if (want('hubHttp', 'hubMemoryUnderLoad')) {
        const hubHttp = await section('hubHttp', () => hubHttpFigure(client, loadPlan));
        checkAnswers('hubHttp', hubHttp);
        figures.hubHttp = hubHttp;
        figures.hubMemoryUnderLoad = failed(hubHttp) ? hubHttp : hubMemoryFigure(hubHttp, plan.loadSeconds);
      }
      if (want('hubWs')) {
        figures.hubWs = await section('hubWs', () => hubWsFigure(client, loadPlan));
        checkAnswers('hubWs', figures.hubWs);
      }
    } finally {
      await client.stop();
    }
  }
  if (want('callNext')) figures.callNext = await section('callNext', () => callNextFigure(plan.callNext));

  if (want('syncCatchUp', 'dbPer10kCases')) {
    let backlog: Backlog | { error: string } | undefined;
    // The first central starts while the backlog is written: neither is part of a figure.
    const firstCentral = startCentralProcess();
    // Its failure is reported where it is awaited; until then it must not count as unhandled.
    firstCentral.catch(() => undefined);
    try {
      backlog = await section('intakeBacklog', () => offlineBacklog(plan.backlog));
      const b = backlog;
      const sync = failed(b)
        ? b
        : await section('syncCatchUp', () => syncCatchUpFigure(b, { runs: plan.runs }, firstCentral));
      figures.syncCatchUp = failed(sync) ? sync : sync.figure;
      if (!failed(sync) && 'skipped' in sync.figure) problems.push(`syncCatchUp skipped: ${sync.figure.skipped}`);
      figures.dbPer10kCases = failed(b) ? b : casesDbSizeFigure(b, failed(sync) ? undefined : sync.deviceAfter);
    } finally {
      if (backlog && !failed(backlog)) backlog.remove();
      // Stopped by the figure unless the backlog failed first (stopping again is harmless).
      const central = await firstCentral.catch(() => undefined);
      if (central && 'stop' in central) await central.stop();
    }
  }
  if (want('dbPer10kTickets')) {
    figures.dbPer10kTickets = await section('dbSizeTickets', () => ticketsDbSizeFigure({ tickets: plan.dbTickets }));
  }
  if (want('dashboardRead')) {
    figures.dashboardRead = await section('dashboardRead', () => dashboardReadFigure(plan.dashboard));
  }
  if (want('attachmentUpload')) {
    const a = plan.attachments;
    figures.attachmentUpload = await section('attachmentUpload', async () =>
      skippedIsProblem('attachmentUpload', await attachmentUploadFigure({ pages: a.uploadPages, runs: a.uploadRuns })),
    );
  }
  if (want('outboxUnderUploads')) {
    const a = plan.attachments;
    figures.outboxUnderUploads = await section('outboxUnderUploads', async () =>
      skippedIsProblem(
        'outboxUnderUploads',
        await outboxUnderUploadsFigure({ uploadPages: a.outboxPages, samples: a.latencySamples, runs: plan.runs }),
      ),
    );
  }
  if (bundles) figures.bundles = await section('bundles', () => bundlesFigure());

  if (ownedCount() > 0) problems.push(`${ownedCount()} process(es) still running at the end (killed on exit)`);
  const results = {
    when: new Date().toISOString(),
    mode: plan.mode,
    ...(only ? { only: [...only] } : {}),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      // Other work on the machine shows here: compare figures only with their limits of the same run.
      loadAverage: { atStart: loadAtStart, atEnd: load() },
    },
    benchSeconds: { total: +((performance.now() - tAll) / 1000).toFixed(1), sections },
    ratios: Object.fromEntries(Object.entries(figures).map(([name, f]) => [name, ratioOf(f)])),
    problems,
    figures,
  };
  const json = JSON.stringify(results, null, 2);
  console.log(json);
  fs.writeFileSync(path.join(import.meta.dirname, 'results.json'), json + '\n');
  if (problems.length > 0) process.exitCode = 1;
}

await main();
