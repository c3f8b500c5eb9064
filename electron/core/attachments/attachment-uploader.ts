import {
  ATTACHMENT_UPLOAD_PATH,
  UPLOAD_CHUNK_BYTES,
  uploadStatusSchema,
  type UploadStatus,
} from '@shared/attachments/attachments';
import { createWakeableSleep } from '../sync/wakeable-sleep';
import { backoffMs } from '../sync/sync-engine';
import type { AttachmentCipher } from './attachment-cipher';
import type { PageFiles } from './attachment-files';
import type { AttachmentStore } from './attachment-store';

export interface UploadTiming {
  idleMs: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
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
 * Sends accepted cases' pages to central on their own channel, beside the outbox and never in it: one
 * page at a time, in chunks, resuming from what central says it holds, so a 20 MiB scan neither blocks
 * the mutation queue nor starts over after a cut connection. Central verifies each page by its hash; a
 * page is confirmed here only once central says it holds it whole.
 */
export function createAttachmentUploader(deps: {
  store: AttachmentStore;
  files: PageFiles;
  cipher: AttachmentCipher;
  /** Central's address and this device's token; undefined while not enrolled. */
  connection: () => { url: string; token: string } | undefined;
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

  async function call(c: { url: string; token: string }, sha256: string, init: RequestInit, query = '') {
    const res = await doFetch(`${c.url}${ATTACHMENT_UPLOAD_PATH}/${sha256}${query}`, {
      ...init,
      headers: { authorization: `Bearer ${c.token}`, ...init.headers },
      signal: AbortSignal.timeout(timing.requestTimeoutMs),
    });
    const body = (await res.json().catch(() => null)) as (Partial<UploadStatus> & { error?: string }) | null;
    return { status: res.status, body, retryAfter: Number(res.headers.get('retry-after')) };
  }

  async function sendPage(c: { url: string; token: string }, blob: { sha256: string; bytes: number }) {
    const asked = await call(c, blob.sha256, { method: 'GET' });
    if (asked.status === 401) throw new UploadStop('central refused the token');
    if (asked.status !== 200) throw new UploadStop(`central answered ${asked.status} for the page's status`);
    let status = uploadStatusSchema.parse(asked.body);
    if (!status.complete) {
      const content = deps.cipher.open(blob.sha256, deps.files.read(blob.sha256));
      let offset = status.received;
      while (!status.complete) {
        if (stopping) throw new UploadStop('stopping');
        // Central holding all of it unchecked (it stopped before its check) checks it on the next chunk.
        if (offset >= content.length) offset = 0;
        const chunk = content.subarray(offset, Math.min(offset + UPLOAD_CHUNK_BYTES, content.length));
        const r = await call(
          c,
          blob.sha256,
          { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: chunk },
          `?offset=${offset}&total=${content.length}`,
        );
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
        else throw new UploadStop(`central answered ${r.status} (${r.body?.error ?? 'no reason'}) to a chunk`);
        offset = status.received;
      }
    }
    deps.store.confirm(blob.sha256, deps.now().toISOString());
  }

  async function round(): Promise<RoundResult> {
    const c = deps.connection();
    if (!c) return 'not-enrolled';
    const batch = deps.store.toUpload(16);
    if (batch.length === 0) return 'idle';
    for (const blob of batch) {
      if (stopping) break;
      await sendPage(c, blob);
    }
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
