// The kiosks of the load figures, in a process of their own (not in the server's event loop): each
// client issues tickets one after another over its own connection until the time is up, and every
// answer is checked (`ok`, a ticket number). The bench sends `run` plans and gets the results back.
import crypto from 'node:crypto';
import WebSocket from 'ws';
import { answer, childConfig } from '../lib/child';
import type { IssuedNumber } from '../lib/stats';

export interface LoadPlan {
  transport: 'http' | 'ws';
  url: string;
  /** One client per token. */
  tokens: string[];
  seconds: number;
  /** Client i issues into lanes[i % lanes.length]. */
  lanes: { queueId: string; applicantType: 'person' | 'organisation' }[];
}

export interface LoadResult {
  clients: number;
  /** From the first request to the last answer. */
  wallMs: number;
  ok: number;
  /** Answers that were not `ok`, by error code (or `NO_TICKET` for an ok without a ticket number). */
  refused: Record<string, number>;
  /** Requests that got no answer at all (connection errors). */
  failed: number;
  latenciesMs: number[];
  issued: IssuedNumber[];
  /** Events pushed to the sockets meanwhile (WebSocket only). */
  events: number;
}

type Answer = { ok: boolean; value?: { ticket?: { queueId: string; number: string } }; error?: { code: string } };

function recorder() {
  const r: Omit<LoadResult, 'clients' | 'wallMs'> = {
    ok: 0,
    refused: {},
    failed: 0,
    latenciesMs: [],
    issued: [],
    events: 0,
  };
  return {
    r,
    answered(a: Answer, ms: number) {
      r.latenciesMs.push(ms);
      const ticket = a.ok ? a.value?.ticket : undefined;
      if (ticket?.number) {
        r.ok++;
        r.issued.push({ queueId: ticket.queueId, number: ticket.number });
      } else {
        const code = a.ok ? 'NO_TICKET' : (a.error?.code ?? 'UNKNOWN');
        r.refused[code] = (r.refused[code] ?? 0) + 1;
      }
    },
  };
}

const input = (lane: LoadPlan['lanes'][number]) => ({ mutationId: crypto.randomUUID(), ...lane });

async function httpLoad(plan: LoadPlan, rec: ReturnType<typeof recorder>, deadline: number) {
  const endpoint = `${plan.url}/api/v1/call/queue.ticket.issue`;
  await Promise.all(
    plan.tokens.map(async (token, i) => {
      const lane = plan.lanes[i % plan.lanes.length]!;
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      while (performance.now() < deadline) {
        const t = performance.now();
        try {
          const res = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(input(lane)) });
          rec.answered((await res.json()) as Answer, performance.now() - t);
        } catch {
          rec.r.failed++;
        }
      }
    }),
  );
}

/** A socket that said hello and was welcomed; `call` resolves with the result of its call. */
async function openSocket(url: string, token: string, onEvent: () => void) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/ws`);
  let nextId = 1;
  const pending = new Map<number, (a: Answer) => void>();
  let welcomed!: () => void;
  const welcome = new Promise<void>((resolve) => (welcomed = resolve));
  ws.on('message', (data) => {
    const text = String(data);
    // Events are counted, not parsed: the load generator must not be the bottleneck it measures.
    if (text.startsWith('{"type":"event"')) return onEvent();
    const msg = JSON.parse(text) as { type: string; id?: number; result?: Answer };
    if (msg.type === 'welcome') welcomed();
    else if (msg.type === 'result') pending.get(msg.id!)?.(msg.result!);
  });
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  ws.once('close', () => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'SOCKET_CLOSED' } });
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'hello', token }));
  await welcome;
  return {
    call(method: string, callInput: unknown): Promise<Answer> {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, (a) => {
          pending.delete(id);
          resolve(a);
        });
        ws.send(JSON.stringify({ type: 'call', id, method, input: callInput }));
      });
    },
    close() {
      ws.close();
      return closed;
    },
  };
}

async function wsLoad(plan: LoadPlan, rec: ReturnType<typeof recorder>, seconds: number) {
  const sockets = await Promise.all(plan.tokens.map((token) => openSocket(plan.url, token, () => rec.r.events++)));
  // The clock starts once every socket is welcomed: opening them is not part of the figure.
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    sockets.map(async (s, i) => {
      const lane = plan.lanes[i % plan.lanes.length]!;
      while (performance.now() < deadline) {
        const t = performance.now();
        rec.answered(await s.call('queue.ticket.issue', input(lane)), performance.now() - t);
      }
    }),
  );
  const wallMs = performance.now() - t0;
  await Promise.all(sockets.map((s) => s.close()));
  return wallMs;
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  const rec = recorder();
  let wallMs: number;
  if (plan.transport === 'ws') wallMs = await wsLoad(plan, rec, plan.seconds);
  else {
    const t0 = performance.now();
    await httpLoad(plan, rec, t0 + plan.seconds * 1000);
    wallMs = performance.now() - t0;
  }
  return { clients: plan.tokens.length, wallMs, ...rec.r };
}

childConfig<object>();
process.on('message', (msg: { type: string; plan: LoadPlan }) => {
  if (msg.type !== 'run') return;
  run(msg.plan).then(
    (result) => answer({ type: 'result', result }),
    (e: unknown) => answer({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
  );
});
answer({ type: 'ready' });
