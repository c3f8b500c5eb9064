import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  ATTACHMENT_UPLOAD_PATH,
  UPLOAD_REFUSALS,
  sha256Hex,
  uploadQuerySchema,
  type UploadStatus,
} from '@shared/attachments/attachments';
import { casePagesSchema, type CasePages } from '@shared/attachments/console';
import { CONSOLE_API } from '@shared/console/session';
import type { Db } from '../db/pool';
import { requireDevice } from '../routes/auth';
import { invalidInput } from '../routes/invalid-input';
import { createCaseService } from '../casework/case-service';
import { notFound, requireConsole } from '../casework/console-access';
import type { CaseworkClock } from '../casework/hall-calendar';
import { systemClock } from '../casework/hall-calendar';
import { createCentralPageFiles, type HeldPage } from './attachment-files';
import { attachmentStore } from './attachment-store';
import { PageUnreadableError, type PageSealing } from './page-sealing';

export interface AttachmentOptions {
  /** The content-addressed folder of page files (CENTRAL_ATTACHMENTS_DIR), beside the database. */
  dir: string;
  /** How page files are sealed at rest: CENTRAL_CRYPTO's profile and the page key (page-key.ts). */
  atRest: PageSealing;
  /** Upload requests central takes at once over all devices; more wait (503, Retry-After) so pushes keep their share. */
  maxConcurrentUploads?: number;
  /** Bytes one device may store here per 24 hours (CENTRAL_ATTACHMENT_QUOTA_BYTES). */
  deviceDailyQuotaBytes?: number;
  clock?: CaseworkClock;
}

/** An upload no device continued for a week is dropped; the device starts it again if it still has the page. */
const STALE_UPLOAD_MS = 7 * 86_400_000;
const shaParams = z.object({ sha256: sha256Hex }).strict();
const casePageParams = z.object({ caseId: z.uuid(), sha256: sha256Hex }).strict();
const caseParams = z.object({ caseId: z.uuid() }).strict();

/**
 * Pages from the counters (a resumable upload by SHA-256: each request streams the rest of the page from
 * where central's copy ends, hashed as it is written and verified on arrival) and the
 * console's view of a case's pages, for staff who may see the case.
 */
export function attachmentRoutes(app: FastifyInstance, db: Db, opts: AttachmentOptions) {
  const files = createCentralPageFiles(opts.dir, opts.atRest);
  const maxUploads = opts.maxConcurrentUploads ?? 8;
  const quota = opts.deviceDailyQuotaBytes ?? 4 * 1024 ** 3;
  let uploadsInFlight = 0;
  // One request per device and page at a time: a retry that overtakes a slow earlier one waits its turn.
  const writing = new Set<string>();
  const cases = createCaseService(db, opts.clock ?? systemClock);
  const sweep = () => {
    try {
      files.sweepStale(STALE_UPLOAD_MS);
    } catch (e) {
      app.log.warn({ err: e }, 'sweeping stale page uploads failed');
    }
  };
  // In the background: pages stored in clear before central sealed them are served meanwhile, and a
  // start after a crash goes on where this one stopped.
  let closing = false;
  const sealStoredInClear = () =>
    files
      .sealStoredInClear(() => closing)
      .then(
        ({ sealed, damaged }) => {
          if (sealed) app.log.info({ sealed }, 'pages stored in clear are sealed now');
          if (damaged.length) app.log.error({ damaged }, 'page files that are not the page their name says');
        },
        (e: unknown) => app.log.error({ err: e }, 'sealing the pages stored in clear failed'),
      );
  let sweeper: NodeJS.Timeout | undefined;
  let sealing: Promise<void> | undefined;
  app.addHook('onReady', async () => {
    sealing = sealStoredInClear();
    sweep();
    sweeper = setInterval(sweep, 60 * 60_000);
    sweeper.unref();
  });
  app.addHook('onClose', async () => {
    closing = true;
    clearInterval(sweeper);
    await sealing;
  });

  const statusOf = (deviceId: string, sha256: string, stored: { bytes: number } | undefined): UploadStatus =>
    stored
      ? { received: stored.bytes, complete: true }
      : { received: files.received(deviceId, sha256), complete: false };
  const status = async (deviceId: string, sha256: string) =>
    statusOf(deviceId, sha256, await attachmentStore.stored(db, sha256));

  /** The upload is whole: verified and kept, or refused (and dropped) for what it is not. */
  async function finish(
    req: FastifyRequest,
    reply: FastifyReply,
    up: { deviceId: string; sha256: string; total: number; got?: { sha256: string; held?: HeldPage } },
  ) {
    const { deviceId, sha256, total } = up;
    const done = await files.finish(deviceId, sha256, up.got);
    if (!done.ok) {
      req.log.warn({ deviceId, sha256, reason: done.reason }, 'a page upload was refused on arrival');
      return reply.code(UPLOAD_REFUSALS[done.reason]).send({ error: done.reason, received: 0, complete: false });
    }
    await attachmentStore.recordStored(db, { sha256, bytes: total, mime: done.mime, deviceId });
    return { received: total, complete: true };
  }

  app.register(async (scoped) => {
    // The body stays a stream: the route writes it to the partial file as it arrives, hashing on the way.
    scoped.addContentTypeParser('application/octet-stream', (_req, body, done) => done(null, body));
    scoped.addHook('preHandler', requireDevice(db));

    scoped.get(`${ATTACHMENT_UPLOAD_PATH}/:sha256`, async (req, reply) => {
      const p = shaParams.safeParse(req.params);
      if (!p.success) return invalidInput(reply, p.error);
      return status(req.device!.id, p.data.sha256);
    });

    scoped.put(`${ATTACHMENT_UPLOAD_PATH}/:sha256`, async (req, reply) => {
      const p = shaParams.safeParse(req.params);
      if (!p.success) return invalidInput(reply, p.error);
      const q = uploadQuerySchema.safeParse(req.query);
      if (!q.success) return invalidInput(reply, q.error);
      const body = req.body as Readable | undefined;
      if (!body || typeof body[Symbol.asyncIterator] !== 'function') {
        return reply.code(400).send({ error: 'BAD_BODY', message: "the body is not the page's bytes" });
      }
      const deviceId = req.device!.id;
      const { sha256 } = p.data;
      const { offset, total } = q.data;
      const key = `${deviceId}.${sha256}`;
      if (uploadsInFlight >= maxUploads || writing.has(key)) {
        return reply.code(UPLOAD_REFUSALS.BUSY).header('retry-after', '1').send({ error: 'BUSY' });
      }
      uploadsInFlight++;
      writing.add(key);
      try {
        const here = await attachmentStore.uploadState(db, sha256, deviceId);
        const now = statusOf(deviceId, sha256, here.stored);
        if (now.complete) return now;
        // Whole but never checked (central stopped between the last byte and the check): check it now.
        if (now.received >= total) return await finish(req, reply, { deviceId, sha256, total });
        if (offset !== now.received) {
          return reply.code(UPLOAD_REFUSALS.OFFSET_MISMATCH).send({ error: 'OFFSET_MISMATCH', ...now });
        }
        if (offset === 0 && here.storedToday + files.partialBytes(deviceId) + total > quota) {
          return reply.code(UPLOAD_REFUSALS.QUOTA_EXCEEDED).send({ error: 'QUOTA_EXCEEDED', quota });
        }
        const got = await files.receive(deviceId, sha256, { offset, total, body });
        if (got.tooLong) {
          return reply
            .code(400)
            .send({ error: 'BAD_BODY', message: 'the body runs past the page', received: got.received });
        }
        if (got.received === offset && !got.cut) {
          return reply.code(400).send({ error: 'BAD_BODY', message: 'the body is empty' });
        }
        if (got.sha256 === undefined) return { received: got.received, complete: false };
        return await finish(req, reply, { deviceId, sha256, total, got: { sha256: got.sha256, held: got.held } });
      } finally {
        uploadsInFlight--;
        writing.delete(key);
      }
    });
  });

  app.register(async (scoped) => {
    scoped.addHook('preHandler', requireConsole(db));

    scoped.get(`${CONSOLE_API}/cases/:caseId/pages`, async (req, reply) => {
      const p = caseParams.safeParse(req.params);
      if (!p.success) return invalidInput(reply, p.error);
      const seen = await cases.get(req.actor!, p.data.caseId);
      if (typeof seen === 'string') return notFound(reply, 'no such case');
      const pages = await attachmentStore.casePages(db, p.data.caseId);
      const out: CasePages = { pages, arriving: pages.filter((x) => !x.arrived).length };
      return casePagesSchema.parse(out);
    });

    scoped.get(`${CONSOLE_API}/cases/:caseId/pages/:sha256`, async (req, reply) => {
      const p = casePageParams.safeParse(req.params);
      if (!p.success) return invalidInput(reply, p.error);
      // Not "forbidden": whether a case exists is itself not told to staff who may not see it.
      const seen = await cases.get(req.actor!, p.data.caseId);
      if (typeof seen === 'string') return notFound(reply, 'no such case');
      const page = (await attachmentStore.casePages(db, p.data.caseId)).find((x) => x.sha256 === p.data.sha256);
      if (!page?.arrived || !files.exists(page.sha256)) return notFound(reply, 'no such page here yet');
      let content: Buffer;
      try {
        // Whole before a byte goes out: a file that does not open is an error, never a garbled page.
        content = await files.read(page.sha256);
      } catch (e) {
        if (!(e instanceof PageUnreadableError)) throw e;
        req.log.error({ err: e, sha256: page.sha256 }, 'a stored page does not open');
        return reply
          .code(500)
          .send({ error: 'PAGE_UNREADABLE', code: 'PAGE_UNREADABLE', message: 'the stored page is damaged' });
      }
      return reply
        .header('content-type', page.mime)
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `inline; filename="${page.materialId}-${page.position + 1}.${ext(page.mime)}"`)
        .send(content);
    });
  });
}

const ext = (mime: string) => (mime === 'application/pdf' ? 'pdf' : mime === 'image/png' ? 'png' : 'jpg');
