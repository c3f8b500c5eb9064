// Device-side benchmarks: cold start of the browser host to an interactive kiosk page, renderer bundle
// sizes per route, SQLite file growth per 10,000 tickets, and the hub's memory with 100,000 tickets in
// history. Each needs `node scripts/build.mjs --renderer --host` first (run.ts does it).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import Sqlite from 'better-sqlite3';
import { chromium } from '@playwright/test';
import { DATABASE_FILE_NAME } from '../electron/core/config/paths';
import { deviceMigrations } from '../electron/core/db/migrations';
import { openDatabase } from '../electron/core/db/open';
import { createQueueStore } from '../electron/core/store/queue-store';
import { startHubProcess } from '../tests/fixtures/hub-process';
import { startQueueCore } from '../tests/fixtures/queue-core';
import { tempDir } from '../tests/fixtures/temp-dir';

const KB = (bytes: number) => +(bytes / 1024).toFixed(1);
const MB = (bytes: number) => +(bytes / 2 ** 20).toFixed(1);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

/**
 * Spawn of the browser host on an empty data folder (so migrations and the demo hall are part of it)
 * until a kiosk page in an already running Chromium can be touched: the start buttons, then, after
 * "person", the queue buttons. Median of `runs`.
 */
export async function coldStartBench(runs = 3) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  const samples: { listeningMs: number; kioskInteractiveMs: number; queueButtonsMs: number }[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const tmp = tempDir('ow-bench-cold-');
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const hallToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
      const t0 = performance.now();
      // The hall's opening hours must not depend on when the bench runs: its clock starts at 10:00 there.
      const args = ['--port', String(port), '--data-dir', tmp.dir, '--clock-start', `${hallToday}T10:00:00+08:00`];
      const host = spawn(process.execPath, ['out/host/browser-host.mjs', ...args], { stdio: 'ignore' });
      try {
        for (;;) {
          const up = await fetch(`${url}/`).then(
            (r) => r.ok,
            () => false,
          );
          if (up) break;
          if (performance.now() - t0 > 30_000) throw new Error('browser host did not start');
          await new Promise((r) => setTimeout(r, 10));
        }
        const listeningMs = performance.now() - t0;
        const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        await page.goto(`${url}/#/kiosk`);
        const person = page.locator('[data-test="kiosk-person"]');
        await person.click({ trial: true, timeout: 30_000 });
        const kioskInteractiveMs = performance.now() - t0;
        await person.click();
        await page.locator('[data-test="kiosk-queue-A"]').click({ trial: true, timeout: 30_000 });
        const queueButtonsMs = performance.now() - t0;
        await context.close();
        samples.push({ listeningMs, kioskInteractiveMs, queueButtonsMs });
      } finally {
        await new Promise<void>((resolve) => {
          host.once('exit', () => resolve());
          host.kill('SIGTERM');
        });
        tmp.remove();
      }
    }
  } finally {
    await browser.close();
  }
  const median = (k: keyof (typeof samples)[number]) =>
    Math.round([...samples.map((s) => s[k])].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!);
  return {
    runs,
    hostListeningMs: median('listeningMs'),
    kioskInteractiveMs: median('kioskInteractiveMs'),
    queueButtonsClickableMs: median('queueButtonsMs'),
  };
}

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  css?: string[];
}

/**
 * What a browser downloads for each route, gzipped: the entry (shared by all) and, per route, its lazy
 * view chunk with the chunks it imports that the entry does not already bring.
 */
export function bundleSizes(rendererDir = 'out/renderer') {
  const manifest = JSON.parse(fs.readFileSync(path.join(rendererDir, '.vite/manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const gz = new Map<string, number>();
  const gzipOf = (file: string) => {
    if (!gz.has(file)) gz.set(file, zlib.gzipSync(fs.readFileSync(path.join(rendererDir, file)), { level: 9 }).length);
    return gz.get(file)!;
  };
  const closure = (key: string, into = new Set<string>()) => {
    const chunk = manifest[key]!;
    if (into.has(chunk.file)) return into;
    into.add(chunk.file);
    for (const css of chunk.css ?? []) into.add(css);
    for (const k of chunk.imports ?? []) closure(k, into);
    return into;
  };
  const sum = (files: Iterable<string>) => [...files].reduce((n, f) => n + gzipOf(f), 0);
  const entryKey = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
  const entry = closure(entryKey);
  const routes: Record<string, { ownGzipKB: number; totalGzipKB: number }> = {};
  for (const [key, chunk] of Object.entries(manifest)) {
    if (!chunk.isDynamicEntry || !chunk.src?.includes('views/')) continue;
    const own = [...closure(key)].filter((f) => !entry.has(f));
    routes[path.basename(chunk.src, '.vue')] = { ownGzipKB: KB(sum(own)), totalGzipKB: KB(sum(entry) + sum(own)) };
  }
  return { entryGzipKB: KB(sum(entry)), routes };
}

/** Bytes the device database grows by for 10,000 tickets, each issued, called, started and finished. */
export async function sqliteGrowthBench(tickets = 10_000) {
  const q = await startQueueCore();
  try {
    const file = q.db.name;
    const size = () => {
      q.db.pragma('wal_checkpoint(TRUNCATE)');
      return fs.statSync(file).size;
    };
    const before = size();
    q.signIn('w12');
    const clerk = q.clerk('w12');
    const queues = ['general', 'property', 'social', 'fund'];
    const t = performance.now();
    for (let i = 0; i < tickets; i++) {
      q.issue(queues[i % queues.length]);
      const called = q.queue.callNext({ mutationId: q.m(), counterId: 'w12' }, clerk).current!;
      q.queue.start({ mutationId: q.m(), counterId: 'w12', ticketId: called.id }, clerk);
      q.queue.finish({ mutationId: q.m(), counterId: 'w12', ticketId: called.id }, clerk);
      q.advance(1000);
    }
    const seconds = (performance.now() - t) / 1000;
    const after = size();
    return {
      tickets,
      commands: tickets * 4,
      fileBeforeMB: MB(before),
      fileAfterMB: MB(after),
      growthMBPer10k: MB(((after - before) * 10_000) / tickets),
      bytesPerTicket: Math.round((after - before) / tickets),
      commandsPerSecond: Math.round((tickets * 4) / seconds),
    };
  } finally {
    q.stop();
  }
}

/** Seeds finished tickets of earlier days straight into history through the queue store, one transaction. */
export function seedHistory(file: string, tickets: number, beforeDay: string) {
  return openDatabase({ file, migrations: deviceMigrations }).then(({ db }) => {
    // The one seeding transaction is ~100 MB: a page cache that holds it keeps SQLite from spilling to the WAL.
    db.pragma('cache_size = -400000');
    const store = createQueueStore(db);
    const perDay = 500;
    const queues = [
      ['general', 'A'],
      ['property', 'C'],
      ['social', 'D'],
      ['fund', 'E'],
    ] as const;
    const first = Date.parse(`${beforeDay}T00:00:00Z`) - Math.ceil(tickets / perDay) * 86_400_000;
    store.transaction(() => {
      for (let i = 0; i < tickets; i++) {
        const dayMs = first + Math.floor(i / perDay) * 86_400_000;
        const hallDay = new Date(dayMs).toISOString().slice(0, 10);
        const [queueId, prefix] = queues[i % queues.length]!;
        const seq = store.nextSeq(hallDay, queueId);
        const at = new Date(dayMs + 2 * 3600_000 + (i % perDay) * 60_000).toISOString();
        const id = crypto.randomUUID();
        store.insertTicket({
          id,
          hallDay,
          queueId,
          seq,
          number: `${prefix}${String(seq).padStart(3, '0')}`,
          priority: 'none',
          applicantType: 'person',
          appointmentCode: null,
          apptStartMs: 0,
          apptEndMs: 0,
          arrivedAt: at,
          issuedAt: at,
          parentId: null,
          targetCounterId: null,
          reactivated: false,
        });
        const ticket = store.ticket(id)!;
        store.updateTicket(
          { ...ticket, state: 'done', counterId: 'w1', callCount: 1, firstCalledAt: at, lastCalledAt: at },
          { serviceStartedAt: at, finishedAt: at },
        );
        store.insertEvent({
          ticketId: id,
          hallDay,
          action: 'issue',
          fromState: null,
          toState: 'waiting',
          at,
          counterId: null,
          actor: 'kiosk-1',
        });
        store.insertEvent({
          ticketId: id,
          hallDay,
          action: 'finish',
          fromState: 'serving',
          toState: 'done',
          at,
          counterId: 'w1',
          actor: 'clerk-at-w1',
        });
      }
      store.archiveBefore(beforeDay);
    });
    db.close();
  });
}

/** The hub's RSS at rest after a round of the calls every device makes, empty and with 100,000 tickets of history. */
export async function hubHistoryRssBench(tickets = 100_000) {
  const hub = await startHubProcess({ kiosks: 1 });
  try {
    const measure = async () => {
      const signedIn = await hub.call(hub.tokens.counter, 'queue.counter.signIn', {
        counterId: 'w1',
        login: 'clerk01',
        pin: '123456',
      });
      // Measured without a signed-in counter, the views below would be refusals, not the real round.
      if (!signedIn.ok) throw new Error(`the bench clerk could not sign in: ${JSON.stringify(signedIn.error)}`);
      for (let i = 0; i < 50; i++) {
        await hub.call(hub.tokens.kiosks[0]!, 'queue.kiosk.queues', {});
        await hub.call(hub.tokens.counter, 'queue.counter.view', { counterId: 'w1' });
        await hub.call(hub.tokens.display, 'queue.display.board', { limit: 20 });
      }
      await new Promise((r) => setTimeout(r, 2000));
      return rssBytes(hub.pid()!);
    };
    const empty = await measure();
    await hub.kill('SIGTERM');
    const file = path.join(hub.dataDir, DATABASE_FILE_NAME);
    const t = performance.now();
    await seedHistory(file, tickets, '2026-03-02');
    const seedSeconds = (performance.now() - t) / 1000;
    const db = new Sqlite(file, { readonly: true });
    const inHistory = (db.prepare('SELECT count(*) AS n FROM ticket_history').get() as { n: number }).n;
    db.close();
    const t1 = performance.now();
    await hub.start();
    const startMs = Math.round(performance.now() - t1);
    const withHistory = await measure();
    return {
      historicalTickets: inHistory,
      seedSeconds: +seedSeconds.toFixed(1),
      databaseMB: MB(fs.statSync(file).size),
      hubStartWithHistoryMs: startMs,
      rssEmptyMB: MB(empty),
      rssWithHistoryMB: MB(withHistory),
    };
  } finally {
    await hub.stop();
  }
}
