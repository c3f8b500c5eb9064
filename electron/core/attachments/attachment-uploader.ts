import { ATTACHMENT_UPLOAD_PATH, uploadStatusSchema, type UploadStatus } from '@shared/attachments/attachments';
import { SEALED_OVERHEAD } from '../leader/crypto';
import { createWakeableSleep } from '../sync/wakeable-sleep';
import { backoffMs } from '../sync/sync-engine';
import type { AttachmentCipher } from './attachment-cipher';
import type { PageFiles } from './attachment-files';
import type { AttachmentStore } from './attachment-store';

export interface UploadTiming {
  idleMs: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** A request that moves no bytes (and, once sent, gets no answer) for this long is given up. */
  requestTimeoutMs: number;
}
const DEFAULT_TIMING: UploadTiming = {
  idleMs: 30_000,
  baseBackoffMs: 1_000,
  maxBackoffMs: 60_000,
  requestTimeoutMs: 30_000,
};

/** A round ended early; `waitMs` is what central asked for (Retry-After), if it said. */
class UploadStop extends Error {
  constructor(
    message: string,
    readonly waitMs?: number,
  ) {
    super(message);
  }
}

type RoundResult = 'idle' | 'sent' | 'failed' | 'not-enrolled';

/**
 * The page's bytes go into its request this much at a time, and before each piece the uploader lets a
 * sync round in progress finish: small enough that a push waits on little, big enough to keep throughput.
 */
export const PIECE_BYTES = 256 * 1024;
/**
 * Pages in flight at once: each page waits on central's check, two fsyncs and a commit before its slot
 * takes the next, so the line idles unless enough are under way. In the attachment benchmark (medians of 3
 * runs, alternated) five gave 0.74–0.79 of a raw PUT where three gave 0.60–0.76. Central's upload slots
 * (`maxConcurrentUploads`, 8) then serve one counter at full pace and a second in part; a third is told to
 * come back in a second (503, Retry-After), as the slots are there to keep pushes their share.
 */
export const PAGES_AT_ONCE = 5;
/** How often pages central holds are confirmed while a round goes on (one commit for all of them). */
const CONFIRM_EVERY_MS = 1000;
/** A page up to this size is read into the uploader's one read buffer (a scan is a few MiB). */
const READ_BUFFER_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Sends accepted cases' pages to central on their own channel, beside the outbox and never in it: several
 * pages at a time, each the rest of it in one streamed request from what central holds, so a 20 MiB
 * scan never starts over after a cut connection. The stream pauses while a sync round runs
 * (`syncBusy`), so pages never delay the mutation queue. Central verifies each page by its hash; a
 * page is confirmed here only once central says it holds it whole.
 */
export function createAttachmentUploader(deps: {
  store: AttachmentStore;
  files: PageFiles;
  cipher: AttachmentCipher;
  /** Central's address and this device's token; undefined while not enrolled. */
  connection: () => { url: string; token: string } | undefined;
  /**
   * The sync round in progress, if any: the upload waits for it before sending more. The whole round, not
   * only its push: a mutation written meanwhile goes in the next round, which starts after this one's pull.
   */
  syncBusy?: () => Promise<unknown> | undefined;
  now: () => Date;
  fetch?: typeof fetch;
  timing?: Partial<UploadTiming>;
  random?: () => number;
  log?: { warn(obj: object, msg: string): void };
}) {
  const timing = { ...DEFAULT_TIMING, ...deps.timing };
  const doFetch = deps.fetch ?? fetch;
  const random = deps.random ?? Math.random;
  const { sleep, wake } = createWakeableSleep();
  let stopped = true;
  // Set by stop() only: a round run by hand (runOnce) is not cut short.
  let stopping = false;
  let loop: Promise<void> | undefined;
  let inflight: Promise<RoundResult> | undefined;
  // Pages sent to (or tried on) central since start and not confirmed yet: each resumes by asking first.
  const begun = new Set<string>();

  const answer = async (res: Response) => {
    const body = (await res.json().catch(() => null)) as (Partial<UploadStatus> & { error?: string }) | null;
    return { status: res.status, body, retryAfter: Number(res.headers.get('retry-after')) };
  };
  const url = (c: { url: string }, sha256: string) => `${c.url}${ATTACHMENT_UPLOAD_PATH}/${sha256}`;

  async function syncQuiet() {
    for (let busy = deps.syncBusy?.(); busy; busy = deps.syncBusy?.()) await busy.catch(() => undefined);
  }

  async function askStatus(c: { url: string; token: string }, sha256: string) {
    const asked = await answer(
      await doFetch(url(c, sha256), {
        headers: { authorization: `Bearer ${c.token}` },
        signal: AbortSignal.timeout(timing.requestTimeoutMs),
      }),
    );
    if (asked.status === 401) throw new UploadStop('central refused the token');
    if (asked.status !== 200) throw new UploadStop(`central answered ${asked.status} for the page's status`);
    return uploadStatusSchema.parse(asked.body);
  }

  /** One request carrying the page from `offset` to its end, a piece at a time, each after the outbox's round. */
  async function sendRest(c: { url: string; token: string }, sha256: string, content: Buffer, offset: number) {
    const abort = new AbortController();
    // Idle time, not the whole request: a 20 MiB page on a slow line may take longer and still be moving.
    const timer = setTimeout(() => abort.abort(), timing.requestTimeoutMs);
    let at = offset;
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(stream) {
          timer.refresh();
          await syncQuiet();
          timer.refresh();
          if (stopping) return abort.abort();
          const end = Math.min(at + PIECE_BYTES, content.length);
          stream.enqueue(content.subarray(at, end));
          at = end;
          if (at === content.length) stream.close();
        },
      },
      { highWaterMark: 0 },
    );
    try {
      return await answer(
        await doFetch(`${url(c, sha256)}?offset=${offset}&total=${content.length}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/octet-stream' },
          body,
          duplex: 'half',
          signal: abort.signal,
        } as RequestInit),
      );
    } catch (e) {
      if (stopping) throw new UploadStop('stopping');
      throw e;
    } finally {
      clearTimeout(timer);
      // Central answered before it took the whole body (409, 503, a page already whole): send no more of it.
      abort.abort();
    }
  }

  // Each sealed page is read into this one buffer and opened from it at once, before the next is read:
  // the page in clear is the only page-sized buffer a page costs, and the garbage collector (which a
  // device's page-sized buffers set off every few pages) has half as much to chase.
  let readBuffer = Buffer.alloc(0);
  const openPage = (blob: { sha256: string; bytes: number }) => {
    const sealedBytes = blob.bytes + SEALED_OVERHEAD;
    if (readBuffer.length < sealedBytes && sealedBytes <= READ_BUFFER_MAX_BYTES) {
      readBuffer = Buffer.allocUnsafeSlow(sealedBytes);
    }
    const sealed = deps.files.readInto(blob.sha256, readBuffer);
    const content = deps.cipher.open(blob.sha256, sealed);
    // The next page's read must never write under bytes still being sent.
    return content.buffer === sealed.buffer ? Buffer.from(content) : content;
  };

  // Pages central holds whole, confirmed here in one commit at most every CONFIRM_EVERY_MS while a round
  // goes on, and the rest when it ends: each commit's fsync blocks this event loop, and with it the bytes
  // and answers of every page in flight (a commit per three pages was 17 commits for 100 MiB, up to 10 ms
  // each on the bench's busy disk; now 4). One not yet confirmed in a crash costs a request: central
  // answers a page it holds as complete before taking its body.
  const toConfirm: string[] = [];
  let lastConfirm = 0;
  const confirmWhole = () => {
    if (toConfirm.length === 0) return;
    deps.store.confirmAll(toConfirm.splice(0), deps.now().toISOString());
    lastConfirm = performance.now();
  };

  async function sendPage(c: { url: string; token: string }, blob: { sha256: string; bytes: number }) {
    await syncQuiet();
    // A page not tried since the uploader started goes from its first byte without asking first: when an
    // earlier run got further, central says so (409 with what it holds) before taking any of it.
    let status = begun.has(blob.sha256) ? await askStatus(c, blob.sha256) : { received: 0, complete: false };
    begun.add(blob.sha256);
    if (!status.complete) {
      const content = openPage(blob);
      while (!status.complete) {
        if (stopping) throw new UploadStop('stopping');
        // Central holding all of it unchecked (it stopped before its check) checks it on this request.
        const offset = status.received >= content.length ? 0 : status.received;
        const r = await sendRest(c, blob.sha256, content, offset);
        if (r.status === 200) status = uploadStatusSchema.parse(r.body);
        else if (r.status === 409 && typeof r.body?.received === 'number')
          status = { received: r.body.received, complete: false };
        else if (r.status === 422) {
          // Central hashed what it got and it was not this page: it dropped it; everything goes again.
          deps.log?.warn(
            { sha256: blob.sha256 },
            'central refused a page whose bytes did not match its hash: resending',
          );
          status = { received: 0, complete: false };
        } else if (r.status === 503) throw new UploadStop('central is busy', r.retryAfter * 1000 || undefined);
        else if (r.status === 507)
          throw new UploadStop('this device is over its upload quota at central', timing.maxBackoffMs);
        else throw new UploadStop(`central answered ${r.status} (${r.body?.error ?? 'no reason'}) to a page`);
      }
    }
    toConfirm.push(blob.sha256);
    begun.delete(blob.sha256);
  }

  async function round(): Promise<RoundResult> {
    const c = deps.connection();
    if (!c) return 'not-enrolled';
    let queue = deps.store.toUpload(16);
    if (queue.length === 0) return 'idle';
    // Pages side by side: one's decryption and central's check and fsync overlap the others' bytes. The
    // queue is refilled as it empties, so a slot that frees takes the next page (one of a case accepted
    // meanwhile too) rather than idling until the slowest page of a batch is done.
    const taken = new Set<string>();
    const take = () => {
      if (queue.length === 0) queue = deps.store.toUpload(16).filter((b) => !taken.has(b.sha256));
      const blob = queue.shift();
      if (blob) taken.add(blob.sha256);
      return blob;
    };
    let failed = false;
    const worker = async () => {
      while (!stopping && !failed) {
        const blob = take();
        if (!blob) return;
        try {
          await sendPage(c, blob);
        } catch (e) {
          failed = true;
          throw e;
        }
        if (performance.now() - lastConfirm >= CONFIRM_EVERY_MS) confirmWhole();
      }
    };
    const settled = await Promise.allSettled(Array.from({ length: PAGES_AT_ONCE }, worker));
    confirmWhole();
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
    return 'sent';
  }

  const uploader = {
    /** One pass over what waits to go; a failure ends it ('failed'), what was sent stays sent. */
    runOnce(): Promise<RoundResult> {
      inflight ??= round()
        .catch((e: unknown) => {
          lastWaitMs = e instanceof UploadStop ? e.waitMs : undefined;
          if (!(e instanceof UploadStop) || e.message !== 'stopping') {
            deps.log?.warn({ err: e instanceof Error ? e.message : String(e) }, 'page upload round failed');
          }
          return 'failed' as const;
        })
        .finally(() => (inflight = undefined));
      return inflight;
    },
    start() {
      if (loop) return;
      stopped = false;
      stopping = false;
      loop = (async () => {
        let failures = 0;
        while (!stopped) {
          let r: RoundResult;
          try {
            r = await uploader.runOnce();
          } catch {
            break; // the database was closed under the round: the device is shutting down
          }
          if (stopped) break;
          failures = r === 'failed' ? failures + 1 : 0;
          if (r === 'failed') await sleep(lastWaitMs ?? backoffMs(failures, timing, random));
          else if (r !== 'sent') await sleep(timing.idleMs);
        }
      })();
    },
    async stop() {
      stopped = true;
      stopping = true;
      wake();
      await loop;
      loop = undefined;
      stopping = false;
    },
    /** A case with pages was accepted, or central is back: go now rather than at the next idle tick. */
    nudge: () => wake(),
  };
  let lastWaitMs: number | undefined;
  return uploader;
}
export type AttachmentUploader = ReturnType<typeof createAttachmentUploader>;
