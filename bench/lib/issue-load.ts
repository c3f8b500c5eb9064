// The hub-under-load figures (HTTP and WebSocket): the real hub and a bare server, each in its own
// process on a fresh database, take turns under the same clients (another process), with every answer
// checked and the numbers checked unique and gapless; the server's memory is sampled meanwhile.
import type { ChildProcess } from 'node:child_process';
import type { LoadPlan, LoadResult } from '../clients/issue-load';
import { EXTRA_QUEUES } from './bench-queues';
import { startBenchHub } from './hub';
import { nextMessage, ownedTempDir, spawnScript, stopOwned } from './processes';
import { prepareTicketDb } from './raw-ticket';
import { sampleRss } from './rss';
import { checkNumbers, median, perSecond, summarize } from './stats';

/** Every bench queue (bench-queues.ts), each with an applicant type it takes: load spreads as a hall's kiosks spread it. */
export const LANES: LoadPlan['lanes'] = [
  { queueId: 'general', applicantType: 'person' },
  { queueId: 'property', applicantType: 'person' },
  { queueId: 'social', applicantType: 'person' },
  { queueId: 'fund', applicantType: 'person' },
  { queueId: 'business', applicantType: 'organisation' },
  ...EXTRA_QUEUES.map((q) => ({ queueId: q.id, applicantType: 'person' as const })),
];

/** The clients' process, started once and given one plan after another. */
export async function startLoadClient() {
  const child = spawnScript('bench/clients/issue-load.ts', {}, 'load');
  await nextMessage(child, (m) => ((m as { type?: string }).type === 'ready' ? true : undefined));
  return {
    async run(plan: LoadPlan): Promise<LoadResult> {
      const reply = nextMessage(child, (m) => {
        const msg = m as { type?: string; result?: LoadResult; message?: string };
        return msg.type === 'result' || msg.type === 'error' ? msg : undefined;
      });
      child.send({ type: 'run', plan });
      const msg = await reply;
      if (msg.type === 'error') throw new Error(`load client: ${msg.message}`);
      return msg.result!;
    },
    stop: () => stopOwned(child),
  };
}
export type LoadClient = Awaited<ReturnType<typeof startLoadClient>>;

interface Server {
  url: string;
  pid: number;
  tokens: string[];
  stop(): Promise<void>;
}

async function hubServer(clients: number): Promise<Server> {
  const hub = await startBenchHub({ kiosks: clients });
  return { url: hub.url, pid: hub.pid(), tokens: hub.tokens.kiosks, stop: () => hub.stop() };
}

async function bareServer(kind: 'http' | 'ws', clients: number): Promise<Server> {
  const tmp = ownedTempDir('ow-bench-bare-');
  const tokens = Array.from({ length: clients }, (_, i) => `bare-kiosk-token-${i + 1}`);
  let child: ChildProcess | undefined;
  try {
    const dbFile = await prepareTicketDb(tmp.dir);
    child = spawnScript(`bench/servers/bare-${kind}.ts`, { dbFile, tokens }, `bare-${kind}`);
    const port = await nextMessage(child, (m) => (m as { type?: string; port?: number }).port);
    const stopped = child;
    return {
      url: `http://127.0.0.1:${port}`,
      pid: child.pid!,
      tokens,
      async stop() {
        await stopOwned(stopped);
        tmp.remove();
      },
    };
  } catch (e) {
    await stopOwned(child);
    tmp.remove();
    throw e;
  }
}

async function oneRun(load: LoadClient, server: Server, transport: LoadPlan['transport'], seconds: number) {
  try {
    const rss = sampleRss(server.pid, 1000);
    const r = await load.run({ transport, url: server.url, tokens: server.tokens, seconds, lanes: LANES });
    const rssMB = rss.stop();
    const numbers = checkNumbers(r.issued);
    return {
      perSecond: perSecond(r.ok, r.wallMs),
      ...summarize(r.latenciesMs),
      ok: r.ok,
      refused: r.refused,
      failed: r.failed,
      numbersUnique: numbers.unique,
      numbersGapless: numbers.gapless,
      ...(numbers.unique && numbers.gapless ? {} : { numbers }),
      ...(transport === 'ws' ? { eventsPerIssue: +(r.events / Math.max(1, r.ok)).toFixed(1) } : {}),
      rss: { startMB: rssMB[0]!, endMB: rssMB.at(-1)!, maxMB: Math.max(...rssMB) },
      rssEverySecondMB: rssMB,
    };
  } finally {
    await server.stop();
  }
}
type Run = Awaited<ReturnType<typeof oneRun>>;

/** Whether every answer of a run was a ticket and the numbers were unique and gapless. */
export const runIsClean = (r: Run) =>
  r.failed === 0 && Object.keys(r.refused).length === 0 && r.numbersUnique && r.numbersGapless;

export async function compareIssueLoad(
  load: LoadClient,
  transport: LoadPlan['transport'],
  plan: { clients: number; seconds: number; runs: number },
) {
  const hub: Run[] = [];
  const bare: Run[] = [];
  // Turns: hub, bare, hub, bare… so both meet the machine in the same state. Both servers of a turn start
  // side by side before either is loaded; the one waiting its turn is idle.
  for (let i = 0; i < plan.runs; i++) {
    const started = await Promise.allSettled([hubServer(plan.clients), bareServer(transport, plan.clients)]);
    const [h, b] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
    try {
      if (!h || !b) throw (started.find((s) => s.status === 'rejected') as PromiseRejectedResult).reason;
      hub.push(await oneRun(load, h, transport, plan.seconds));
      bare.push(await oneRun(load, b, transport, plan.seconds));
    } finally {
      // oneRun stops its server; this stops any a failure left behind (stopping twice is harmless).
      await Promise.all([h?.stop(), b?.stop()]);
    }
  }
  const summary = (runs: Run[]) => ({
    perSecond: median(runs.map((r) => r.perSecond)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    allAnswersChecked: runs.every(runIsClean),
  });
  return { value: summary(hub), limit: summary(bare), eachRun: { hub, bare } };
}
