// The real hall hub (the built out/host/hub.mjs, as `npm run hub` runs it) in its own process group, set
// up as tests/fixtures/hub-process.ts sets it up: the demo hall, its clock at 10:00 hall time, devices
// added to hub-devices.json as the hub's own CLI adds them, the daily maximum lifted for load.
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Role } from '@shared/api';
import { addDevice } from '../../electron/core/server/device-tokens';
import { HUB_CLOCK_START } from '../../tests/fixtures/hub-process';
import { EXTRA_QUEUES } from './bench-queues';
import { ownedTempDir, spawnOwned, stopOwned } from './processes';

export type CallResult = { ok: boolean; value?: unknown; error?: { code: string; message?: string } };

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `up` every 50 ms until it is true, for at most `ms`. */
export async function waitUntil(up: () => Promise<boolean>, what: string, ms = 60_000) {
  const until = Date.now() + ms;
  while (!(await up().catch(() => false))) {
    if (Date.now() > until) throw new Error(`${what} did not come up in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function httpCall(url: string, token: string, method: string, input: unknown): Promise<CallResult> {
  const res = await fetch(`${url}/api/v1/call/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return (await res.json()) as CallResult;
}

/** A call that must succeed: its value, or an error naming the refusal. */
export async function mustCall<T>(url: string, token: string, method: string, input: unknown): Promise<T> {
  const r = await httpCall(url, token, method, input);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

export async function startBenchHub(opts: { kiosks: number }) {
  const tmp = ownedTempDir('ow-bench-hub-');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  fs.writeFileSync(
    path.join(tmp.dir, 'onewindow.config.json'),
    JSON.stringify({ hall: { code: 'HUB01', name: '测试大厅' }, deviceCode: 'H1', roles: ['admin'], demo: true }),
  );
  const devicesFile = path.join(tmp.dir, 'hub-devices.json');
  const add = (role: Role, n: number) =>
    Array.from({ length: n }, (_, i) => addDevice(devicesFile, `${role}-${i + 1}`, role));
  const [admin] = add('admin', 1);
  const [counter] = add('counter', 1);
  const kiosks = add('kiosk', opts.kiosks);

  const clockStart = Date.parse(HUB_CLOCK_START);
  let firstStart: number | undefined;
  let child: ChildProcess | undefined;
  async function start() {
    firstStart ??= Date.now();
    // The hall clock runs on across restarts from 10:00, so the queues stay open whenever the bench runs.
    const clock = new Date(clockStart + (Date.now() - firstStart)).toISOString();
    const args = ['--data-dir', tmp.dir, '--host', '127.0.0.1', '--port', String(port), '--clock-start', clock];
    child = spawnOwned(process.execPath, [path.resolve('out/host/hub.mjs'), ...args], { label: 'hub' });
    await waitUntil(async () => (await httpCall(url, admin!, 'system.info', {})).ok, 'hub');
  }
  try {
    await start();
    const queues = await mustCall<Record<string, unknown>[]>(url, admin!, 'queue.kiosk.queues', {});
    for (const q of queues) {
      const { openNow: _o, hours: _h, waiting: _w, estimatedWaitMinutes: _e, remainingToday: _r, ...plain } = q;
      await mustCall(url, admin!, 'queue.admin.queues.upsert', { ...plain, dailyMax: 9999 });
    }
    for (const q of EXTRA_QUEUES) await mustCall(url, admin!, 'queue.admin.queues.upsert', q);
  } catch (e) {
    await stopOwned(child);
    tmp.remove();
    throw e;
  }

  return {
    url,
    dataDir: tmp.dir,
    tokens: { admin: admin!, counter: counter!, kiosks },
    call: (token: string, method: string, input: unknown) => httpCall(url, token, method, input),
    must: <T>(token: string, method: string, input: unknown) => mustCall<T>(url, token, method, input),
    mutationId: () => crypto.randomUUID(),
    pid: () => child!.pid!,
    start,
    /** Stops the hub process (SIGTERM: it closes its database) and keeps its data folder. */
    halt: () => stopOwned(child),
    async stop() {
      await stopOwned(child);
      tmp.remove();
    },
  };
}
export type BenchHub = Awaited<ReturnType<typeof startBenchHub>>;
