// `npm run bench`: prints JSON and writes bench/results.json. Never a timed test.
// Baselines of the foundation: a contract call in the core and over HTTP, beside raw SQLite inserts; the
// queue under load, sync throughput, and the device benchmarks of bench/device.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { startHubProcess } from '../tests/fixtures/hub-process';
import { bundleSizes, coldStartBench, hubHistoryRssBench, sqliteGrowthBench } from './device';
import { syncBench } from './sync';
import { startQueueCore } from '../tests/fixtures/queue-core';
import { startTestServer } from '../tests/fixtures/test-server';
import { startTestCore } from '../tests/fixtures/test-core';
import { tempDir } from '../tests/fixtures/temp-dir';

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
function summarize(samplesMs: number[]) {
  const s = [...samplesMs].sort((a, b) => a - b);
  const ms = (v: number) => +v.toFixed(3);
  return { n: s.length, p50Ms: ms(quantile(s, 0.5)), p99Ms: ms(quantile(s, 0.99)), maxMs: ms(s.at(-1) ?? 0) };
}
async function timeEach(n: number, fn: () => Promise<unknown>) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

// Seconds each part of the bench took, printed as it goes: what to look at when the bench gets slow.
const sectionSeconds: Record<string, number> = {};
async function section<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  const t = performance.now();
  const out = await fn();
  sectionSeconds[name] = +((performance.now() - t) / 1000).toFixed(1);
  process.stderr.write(`bench: ${name} ${sectionSeconds[name]} s\n`);
  return out;
}

async function rawInsertRate() {
  const tmp = tempDir('ow-bench-');
  const db = new Sqlite(path.join(tmp.dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const n = 2000;
  const t = performance.now();
  // One transaction per row, as every domain write is: this is the durable-commit ceiling of the disk.
  for (let i = 0; i < n; i++) db.transaction(() => insert.run(`row ${i}`)).immediate();
  const seconds = (performance.now() - t) / 1000;
  db.close();
  tmp.remove();
  return { rows: n, perSecond: Math.round(n / seconds) };
}

async function main() {
  const loadAtStart = os.loadavg();
  const tAll = performance.now();
  const contract = await section('contract', async () => {
    const { core, stop } = await startTestCore();
    const caller = { role: 'admin' as const, transport: 'ipc' as const, origin: 'bench' };
    const profile = { name: '基准大厅', address: '', enquiryPhone: '', trackingUrl: '' };
    const coreRead = summarize(await timeEach(2000, () => core.dispatch(caller, 'system.info', {})));
    const coreWrite = summarize(await timeEach(500, () => core.dispatch(caller, 'hall.profile.update', profile)));
    stop();

    const server = await startTestServer();
    const token = server.tokenFor('admin');
    const httpRead = summarize(await timeEach(1000, () => server.call('system.info', {}, token)));
    const concurrency = 50;
    const t = performance.now();
    const perClient = await Promise.all(
      Array.from({ length: concurrency }, () => timeEach(40, () => server.call('system.info', {}, token))),
    );
    const httpConcurrent = {
      ...summarize(perClient.flat()),
      clients: concurrency,
      callsPerSecond: Math.round((concurrency * 40) / ((performance.now() - t) / 1000)),
    };
    await server.stop();
    return { coreRead, coreWrite, httpRead, httpConcurrent };
  });

  // Ticket issue: in the core (one transaction each) and over the hub's HTTP with 50 concurrent kiosks.
  const issueCore = await section('issueCore', async () => {
    const qc = await startQueueCore();
    const samples = summarize(await timeEach(2000, async () => qc.issue('general')));
    qc.stop();
    return samples;
  });
  await section('build', () =>
    execFileSync(process.execPath, ['scripts/build.mjs', '--renderer', '--host'], { stdio: 'ignore' }),
  );
  const issueHttp = await section('issueHttp', async () => {
    const hub = await startHubProcess({ kiosks: 50 });
    const tHub = performance.now();
    const hubSamples = await Promise.all(
      hub.tokens.kiosks.map((token) =>
        timeEach(40, () =>
          hub.call(token, 'queue.ticket.issue', {
            mutationId: hub.mutationId(),
            queueId: 'general',
            applicantType: 'person',
          }),
        ),
      ),
    );
    const out = {
      ...summarize(hubSamples.flat()),
      clients: 50,
      issuesPerSecond: Math.round(2000 / ((performance.now() - tHub) / 1000)),
    };
    await hub.stop();
    return out;
  });

  const raw = await section('rawInsert', rawInsertRate);
  const sync = await section('sync', syncBench);
  const coldStart = await section('coldStart', () => coldStartBench());
  const bundles = await section('bundles', () => bundleSizes());
  const sqliteGrowth = await section('sqliteGrowth', () => sqliteGrowthBench());
  const hubHistory = await section('hubHistory', () => hubHistoryRssBench());
  const results = {
    when: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      // The machine may be shared: what else was running shows in the load average at the start.
      loadAverage: loadAtStart.map((x) => +x.toFixed(2)),
    },
    benchSeconds: { total: +((performance.now() - tAll) / 1000).toFixed(1), ...sectionSeconds },
    contract,
    queue: { issueCore, issueHttp },
    sqlite: { durableSingleRowCommits: raw, growthPer10kTickets: sqliteGrowth },
    sync,
    browserHost: { coldStart },
    renderer: { bundles },
    hub: { history: hubHistory },
    ratios: {
      // How close ticket issue comes to the disk's durable-commit ceiling measured the same way.
      coreIssuesVsRawCommits: +(1000 / issueCore.p50Ms / raw.perSecond).toFixed(3),
      httpIssuesVsRawCommits: +(issueHttp.issuesPerSecond / raw.perSecond).toFixed(3),
    },
  };
  const json = JSON.stringify(results, null, 2);
  console.log(json);
  fs.writeFileSync(path.join(import.meta.dirname ?? '.', 'results.json'), json + '\n');
}

void main();
