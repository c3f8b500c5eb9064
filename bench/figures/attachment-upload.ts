// Paperless materials (issue 16): a counter device (the whole core, tests/fixtures/intake-core.ts) accepts
// cases with scanned pages and sends them to central (its own process, lib/central.ts) on the upload
// channel, as in the hall. Two figures:
//  - attachmentUpload: the pages' bytes per second from the moment they may go until central confirmed the
//    last one, beside the same bytes PUT raw, one request a page, to a bare node:http server process that
//    writes them and fsyncs;
//  - outboxUnderUploads: an intake's outbox latency (its enqueue until central acknowledged it) while
//    100 MiB of pages upload, beside the same latency with nothing uploading, on the same device and central.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PAGES_AT_ONCE } from '../../electron/core/attachments/attachment-uploader';
import { SEALED_PAGE_OVERHEAD } from '../../central/src/attachments/page-sealing';
import { startIntakeCore, type IntakeCore } from '../../tests/fixtures/intake-core';
import { jpeg } from '../../tests/fixtures/pages';
import { startCentralProcess, type CentralProcess } from '../lib/central';
import { nextMessage, ownedTempDir, spawnScript, stopOwned } from '../lib/processes';
import { median, ratio, summarize } from '../lib/stats';

const MiB = 1024 * 1024;
const PAGE_BYTES = 2 * MiB;
const PAGES_PER_CASE = 5;
const HALL = 'BENCH2';
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** The first 17 digits of a resident ID that differs for every i: the birth date moves a day per thousand. */
const first17 = (i: number) => {
  const born = new Date(Date.UTC(1980, 0, 1 + Math.floor(i / 1000))).toISOString().slice(0, 10).replaceAll('-', '');
  return `110105${born}${String(i % 1000).padStart(3, '0')}`;
};

/**
 * Holds the device's next push at its fetch, once armed, until `release`: the bench opens a sync round before
 * the cases are accepted, so their intakes go out in that round, and the uploader, which waits for a round in
 * progress before it opens a page, starts once the round is over (as it does after any intake). The figure
 * then times the upload channel from its first step; the intakes' own latency is the other figure.
 */
function pushGate() {
  let armed = false;
  let reached!: () => void;
  let release!: () => void;
  const held = new Promise<void>((r) => (reached = r));
  const open = new Promise<void>((r) => (release = r));
  const gated: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (armed && url.pathname === '/sync/v1/push') {
      armed = false;
      reached();
      await open;
    }
    return fetch(input, init);
  };
  return { fetch: gated, arm: () => (armed = true), held, release };
}

/**
 * Writes every dirty page of the file system to disk, so a timed window does not pay the write-back of what
 * was written before it (the scans, the other side's run). Not on Windows, which has no such command.
 */
const settleDisk = () => {
  if (process.platform !== 'win32') execFileSync('sync');
};

/** A counter enrolled with `central`, its sync running as in the hall. */
async function counterDevice(central: CentralProcess, syncFetch?: typeof fetch) {
  const hall = await central.admin.createHall(HALL);
  const t = await startIntakeCore(undefined, { hallCode: HALL, syncFetch });
  try {
    await t.core.sync.enroll(central.url, await central.admin.code(hall.id, 'counter'));
    t.core.sync.start();
  } catch (e) {
    t.stop();
    throw e;
  }
  return t;
}

const count = (t: IntakeCore, sql: string) => (t.peek.prepare(sql).get() as { n: number }).n;
const unconfirmed = (t: IntakeCore) =>
  count(t, 'SELECT count(*) AS n FROM attachment_blobs WHERE confirmed_at IS NULL');
const pending = (t: IntakeCore) => count(t, "SELECT count(*) AS n FROM outbox WHERE status = 'pending'");

/** Polls a state of the device's database (another connection) every millisecond until it holds. */
async function until(holds: () => boolean, what: string, ms = 600_000) {
  const end = performance.now() + ms;
  while (!holds()) {
    if (performance.now() > end) throw new Error(`${what}: not in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** A called ticket and a new applicant for the next intake (their own mutations, pushed before it). */
async function nextApplicant(t: IntakeCore, i: number) {
  const ticket = await t.calledTicket();
  const applicant = await t.person(first17(i), `申请人${i}`);
  return { ticketId: ticket.id, applicantId: applicant.id };
}

/** Accepts a PSB-001 case, with the draft's pages when `draftId` is given (the clerk's 受理). */
async function intake(t: IntakeCore, who: { ticketId: string; applicantId: string }, draftId?: string) {
  await t.call('case.intake', {
    mutationId: t.m(),
    counterId: 'w1',
    ticketId: who.ticketId,
    applicantId: who.applicantId,
    matterCode: 'PSB-001',
    materials: await t.tick('PSB-001'),
    outcome: 'accept',
    ...(draftId ? { attachmentDraftId: draftId } : {}),
  } as never);
}

/**
 * Cases of five pages each, scanned into drafts as the counter page adds them; the intakes that bind them
 * (and start their upload) are returned to run at once, so scanning is no part of a figure.
 */
async function scannedCases(t: IntakeCore, pages: Buffer[], seq: number) {
  const materialId = (await t.tick('PSB-001'))[0]!.materialId;
  const drafts: { draftId: string; who: { ticketId: string; applicantId: string } }[] = [];
  for (let c = 0; c * PAGES_PER_CASE < pages.length; c++) {
    const draftId = crypto.randomUUID();
    for (const page of pages.slice(c * PAGES_PER_CASE, (c + 1) * PAGES_PER_CASE)) {
      await t.call('attachment.page.add', { draftId, materialId, dataBase64: page.toString('base64') });
    }
    drafts.push({ draftId, who: await nextApplicant(t, seq + c) });
  }
  return async () => {
    for (const d of drafts) await intake(t, d.who, d.draftId);
  };
}

/** The raw PUTs of the limit: each page whole, one after another, to the bare server. */
async function rawUpload(pages: Buffer[]) {
  const dir = ownedTempDir('ow-bench-bare-upload-');
  const child = spawnScript('bench/servers/bare-upload.ts', { dir: dir.dir }, 'bare-upload');
  try {
    const { port } = await nextMessage(child, (m) => {
      const msg = m as { type?: string; port?: number };
      return msg.type === 'listening' ? { port: msg.port! } : undefined;
    });
    // Named before the clock starts, as the device's pages are (by the store, when scanned).
    const named = pages.map((page) => ({ page, name: sha(page) }));
    settleDisk();
    const t0 = performance.now();
    for (const { page, name } of named) {
      const res = await fetch(`http://127.0.0.1:${port}/${name}`, { method: 'PUT', body: page });
      if (!res.ok) throw new Error(`the bare upload server answered ${res.status}`);
      await res.arrayBuffer();
    }
    const ms = performance.now() - t0;
    for (const page of pages) {
      if (fs.statSync(path.join(dir.dir, sha(page))).size !== page.length) throw new Error('a raw page is short');
    }
    return {
      seconds: +(ms / 1000).toFixed(2),
      MiBPerSecond: +((pages.length * PAGE_BYTES) / MiB / (ms / 1000)).toFixed(1),
    };
  } finally {
    await stopOwned(child);
    dir.remove();
  }
}

/** One run; `limitFirst`: the raw PUTs before the upload rather than after it (alternate runs). */
async function uploadRun(pages: Buffer[], seq: number, limitFirst: boolean) {
  const central = await startCentralProcess();
  if ('skipped' in central) return central;
  try {
    const gate = pushGate();
    const t = await counterDevice(central, gate.fetch);
    try {
      const accept = await scannedCases(t, pages, seq);
      t.core.sync.nudge();
      await until(() => pending(t) === 0, "the scans' applicants pushed");
      // Both sides with the device and central up and idle, each after the disk settled.
      const limitBefore = limitFirst ? await rawUpload(pages) : undefined;
      settleDisk();
      // A round held at its push, carrying a new applicant's rows; the intakes join it.
      gate.arm();
      await nextApplicant(t, seq + 99);
      t.core.sync.nudge();
      await gate.held;
      const a0 = performance.now();
      await accept();
      gate.release();
      await until(() => pending(t) === 0, 'the intakes acknowledged by central');
      const t0 = performance.now();
      const acceptedMs = t0 - a0;
      await until(() => unconfirmed(t) === 0, 'every page confirmed by central');
      const ms = performance.now() - t0;
      // Central holds each page whole, sealed, under its hash.
      for (const page of pages) {
        const h = sha(page);
        const size = fs.statSync(path.join(central.attachmentsDir, h.slice(0, 2), h)).size;
        if (size !== page.length + SEALED_PAGE_OVERHEAD) {
          throw new Error(`central's copy of ${h} is not the page`);
        }
      }
      const value = {
        seconds: +(ms / 1000).toFixed(2),
        MiBPerSecond: +((pages.length * PAGE_BYTES) / MiB / (ms / 1000)).toFixed(1),
      };
      const limit = limitBefore ?? (await rawUpload(pages));
      return {
        settings: central.settings,
        value,
        limit,
        ratio: ratio(value.MiBPerSecond, limit.MiBPerSecond),
        intakesAcknowledgedMs: Math.round(acceptedMs),
      };
    } finally {
      t.stop();
    }
  } finally {
    await central.stop();
  }
}

export async function attachmentUploadFigure(plan: { pages: number; runs: number }) {
  const runs = [];
  for (let r = 0; r < plan.runs; r++) {
    const pages = Array.from({ length: plan.pages }, (_, i) => jpeg(PAGE_BYTES, r * 1000 + i));
    const run = await uploadRun(pages, r * 100, r % 2 === 1);
    if ('skipped' in run) return run;
    runs.push(run);
  }
  const value = { MiBPerSecond: median(runs.map((x) => x.value.MiBPerSecond)) };
  const limit = { MiBPerSecond: median(runs.map((x) => x.limit.MiBPerSecond)) };
  return {
    what: `${plan.pages} pages of 2 MiB (${(plan.pages * PAGE_BYTES) / MiB} MiB) in cases of ${PAGES_PER_CASE}, accepted at a counter device (the whole core) and sent by its uploader (${PAGES_AT_ONCE} pages at once, each one streamed request) to central in its own process, until central confirmed the last (verified by hash, sealed, fsync'd); timed from when the cases' intakes are acknowledged by central (they go first, in a sync round the uploader waits for: intakesAcknowledgedMs), the disk settled before`,
    limitWhat:
      'the same bytes PUT raw, one request a page, to a bare node:http server process writing each to a file and fsyncing it, after each run or (every other run) before it, the disk settled',
    central: runs[0]!.settings,
    runs: plan.runs,
    value,
    limit,
    // Each run beside its own raw PUTs: a machine that slows down between runs moves both.
    ratio: median(runs.map((x) => x.ratio)),
    ratioWhat: "the median of the runs' ratios, each run's upload over the raw PUTs beside it",
    goal: '>= 0.7',
    eachRun: runs.map(({ settings: _s, ...x }) => x),
  };
}

/** Intakes one after another, each timed from its enqueue until central acknowledged it; `while` stops early. */
async function latencies(t: IntakeCore, n: number, seq: number, going: () => boolean = () => true) {
  const samples: number[] = [];
  for (let i = 0; i < n && going(); i++) {
    const who = await nextApplicant(t, seq + i);
    t.core.sync.nudge();
    await until(() => pending(t) === 0, 'the applicant pushed');
    const t0 = performance.now();
    await intake(t, who);
    // Nudged at once: the figure is the push, not the engine's once-a-second look at its outbox.
    t.core.sync.nudge();
    await until(() => pending(t) === 0, 'the intake acknowledged by central');
    // Counted only while pages were still on their way the whole time.
    if (going()) samples.push(performance.now() - t0);
  }
  return samples;
}

async function outboxRun(plan: { uploadPages: number; samples: number }, r: number) {
  const central = await startCentralProcess();
  if ('skipped' in central) return central;
  try {
    const t = await counterDevice(central);
    try {
      const quiet = await latencies(t, plan.samples, r * 1000);
      const pages = Array.from({ length: plan.uploadPages }, (_, i) => jpeg(PAGE_BYTES, 50_000 + r * 1000 + i));
      const accept = await scannedCases(t, pages, r * 1000 + 200);
      await accept();
      const busy = await latencies(t, plan.samples, r * 1000 + 400, () => unconfirmed(t) > 0);
      await until(() => unconfirmed(t) === 0, 'every page confirmed by central');
      if (busy.length === 0) throw new Error('the pages were all sent before a single intake was timed');
      return { quiet: summarize(quiet), uploading: summarize(busy) };
    } finally {
      t.stop();
    }
  } finally {
    await central.stop();
  }
}

export async function outboxUnderUploadsFigure(plan: { uploadPages: number; samples: number; runs: number }) {
  const runs = [];
  for (let r = 0; r < plan.runs; r++) {
    const run = await outboxRun(plan, r);
    if ('skipped' in run) return run;
    runs.push(run);
  }
  const value = {
    p50Ms: median(runs.map((x) => x.uploading.p50Ms)),
    p99Ms: median(runs.map((x) => x.uploading.p99Ms)),
  };
  const limit = { p50Ms: median(runs.map((x) => x.quiet.p50Ms)), p99Ms: median(runs.map((x) => x.quiet.p99Ms)) };
  return {
    what: `an intake's outbox latency (case.intake's enqueue until central acknowledged it, the sync engine nudged at once) at a counter device while ${(plan.uploadPages * PAGE_BYTES) / MiB} MiB of its pages upload to central (its own process); up to ${plan.samples} intakes, timed only while pages were still uploading`,
    limitWhat: 'the same intakes on the same device and central before any page was scanned',
    runs: plan.runs,
    value,
    limit,
    // Latency: the quiet one over the one under uploads, so that 1 means "no slower" as in the other ratios.
    ratio: ratio(limit.p50Ms, value.p50Ms),
    ratioWhat: 'median latency with nothing uploading / median latency while pages upload',
    goal: 'latency within 20% of the quiet one (ratio >= 0.83)',
    eachRun: runs,
  };
}
