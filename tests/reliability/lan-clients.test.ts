import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHubProcess, type Result } from '../fixtures/hub-process';
import { DEMO_PIN, clerkAt } from '../fixtures/staff';
import { scaled, SOAK } from './scale';

const KIOSKS = 36; // over HTTP, as the kiosk app calls the hub
const COUNTERS = 6; // over WebSocket, with events
const DISPLAYS = 8; // over WebSocket, with events
const DURATION_MS = scaled(15_000, 10 * 60_000);
const WARM_UP_MS = scaled(5_000, 2 * 60_000);
/**
 * RSS may rise this much above its warm-up peak (the day's tickets, V8 growing its heap before it
 * collects): more is a leak. The short run only catches a gross leak; the soak run is the real check.
 */
const RSS_GROWTH_LIMIT_MB = scaled(128, 64);
/** Refusals the hall meets in normal work; any other error fails the test. */
const EXPECTED_REFUSALS = new Set(['QUEUE_EMPTY', 'NOT_FOR_APPLICANT_TYPE']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;
const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) / 1024;
};

/** A device on a WebSocket: hello with its token, then calls answered by id, and the events it may see. */
async function socketClient(url: string, token: string) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/v1/ws`);
  const pending = new Map<number, (r: Result) => void>();
  let events = 0;
  let nextId = 1;
  let welcomed: () => void;
  const welcome = new Promise<void>((r) => (welcomed = r));
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { type: string; id?: number; result?: Result };
    if (msg.type === 'welcome') welcomed();
    else if (msg.type === 'event') events++;
    else if (msg.id !== undefined) pending.get(msg.id)?.(msg.result!);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'hello', token }));
  await welcome;
  return {
    call(method: string, input: unknown): Promise<Result> {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, (r) => {
          pending.delete(id);
          resolve(r);
        });
        ws.send(JSON.stringify({ type: 'call', id, method, input }));
      });
    },
    events: () => events,
    close: () => ws.close(),
  };
}

/**
 * A hall's worth of LAN devices against the hub process at once: kiosks issue over HTTP, counters serve
 * over WebSocket, displays read the board and receive events. No call may fail except the expected
 * business refusals, and the hub's memory must level off after warm-up.
 */
describe(`${KIOSKS + COUNTERS + DISPLAYS} concurrent LAN clients`, () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  beforeAll(async () => {
    hub = await startHubProcess({ kiosks: KIOSKS, counters: COUNTERS, displays: DISPLAYS });
    // One clerk per counter: a clerk signing in at a second counter would end their first.
    await hub.addClerks(['clerk04', 'clerk05', 'clerk12']);
  }, 120_000);
  afterAll(() => hub.stop());

  it(
    'serve kiosks, counters and displays with no unexpected error and bounded hub memory',
    async () => {
      const errors: string[] = [];
      const stats = { calls: 0, issued: 0, served: 0, refusals: 0 };
      const check = (method: string, r: Result) => {
        stats.calls++;
        if (r.ok) return true;
        const reason = r.error?.details?.reason;
        if (reason && EXPECTED_REFUSALS.has(reason)) stats.refusals++;
        else if (errors.length < 20) errors.push(`${method}: ${JSON.stringify(r.error)}`);
        return false;
      };
      const end = Date.now() + DURATION_MS;

      const kiosk = async (token: string) => {
        while (Date.now() < end) {
          const queues = await hub.call(token, 'queue.kiosk.queues', {});
          check('queue.kiosk.queues', queues);
          const type = Math.random() < 0.8 ? 'person' : 'organisation';
          const issued = await hub.call(token, 'queue.ticket.issue', {
            mutationId: hub.mutationId(),
            queueId: pick(['general', 'business', 'property', 'social', 'fund']),
            applicantType: type,
          });
          if (check('queue.ticket.issue', issued)) {
            stats.issued++;
            const id = (issued.value as { ticket: { id: string } }).ticket.id;
            if (Math.random() < 0.3)
              check('queue.ticket.get', await hub.call(token, 'queue.ticket.get', { ticketId: id }));
          }
          await sleep(scaled(300, 1500) + Math.random() * scaled(700, 2500));
        }
      };
      const counter = async (token: string, i: number) => {
        const c = await socketClient(hub.url, token);
        const counterId = ['w1', 'w2', 'w3', 'w4', 'w5', 'w12'][i]!;
        const signIn = { counterId, login: clerkAt(counterId), pin: DEMO_PIN };
        check('queue.counter.signIn', await c.call('queue.counter.signIn', signIn));
        while (Date.now() < end) {
          check('queue.counter.view', await c.call('queue.counter.view', { counterId }));
          const called = await c.call('queue.callNext', { mutationId: hub.mutationId(), counterId });
          if (!check('queue.callNext', called)) {
            await sleep(200);
            continue;
          }
          const ticketId = (called.value as { current: { id: string } }).current.id;
          const step = (method: string) => c.call(method, { mutationId: hub.mutationId(), counterId, ticketId });
          if (check('queue.start', await step('queue.start')) && check('queue.finish', await step('queue.finish')))
            stats.served++;
          await sleep(Math.random() * scaled(100, 400));
        }
        c.close();
      };
      const display = async (token: string) => {
        const c = await socketClient(hub.url, token);
        while (Date.now() < end) {
          check('queue.display.board', await c.call('queue.display.board', { limit: 20 }));
          await sleep(500 + Math.random() * 1000);
        }
        c.close();
        return c.events();
      };

      const pid = hub.pid()!;
      const samples: { at: number; mb: number }[] = [];
      const started = Date.now();
      const sampler = setInterval(() => samples.push({ at: Date.now() - started, mb: rssMb(pid) }), 500);
      const [, , displayEvents] = await Promise.all([
        Promise.all(hub.tokens.kiosks.map(kiosk)),
        Promise.all(hub.tokens.counters.map(counter)),
        Promise.all(hub.tokens.displays.map(display)),
      ]);
      clearInterval(sampler);

      expect(errors).toEqual([]);
      expect(stats.issued).toBeGreaterThan(KIOSKS * (SOAK ? 100 : 2));
      expect(stats.served).toBeGreaterThan(0);
      // Displays heard the hall change over their sockets.
      for (const n of displayEvents) expect(n).toBeGreaterThan(0);
      const base = Math.max(...samples.filter((s) => s.at < WARM_UP_MS).map((s) => s.mb));
      const peak = Math.max(...samples.filter((s) => s.at >= WARM_UP_MS).map((s) => s.mb));
      console.log(
        `LAN load: ${stats.calls} calls, ${stats.issued} issued, ${stats.served} served, ${stats.refusals} expected refusals; ` +
          `hub RSS peak ${base.toFixed(0)} MB in warm-up, then ${peak.toFixed(0)} MB`,
      );
      expect(peak - base).toBeLessThan(RSS_GROWTH_LIMIT_MB);
    },
    DURATION_MS + 60_000,
  );
});
