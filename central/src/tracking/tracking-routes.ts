import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { TRACKING_PATH, trackingParamsSchema, trackingQuerySchema } from '@shared/console/tracking';
import type { Db } from '../db/pool';
import { trackedCase } from './tracking-lookup';
import {
  NOT_FOUND_PAGE,
  TOO_MANY_PAGE,
  TRACKING_CSP,
  UNAVAILABLE_PAGE,
  trackingFormPage,
  trackingResultPage,
} from './tracking-page';

/**
 * Lookups per minute per client address. A query code is 50 random bits, so at this rate guessing one for
 * a known case number takes longer than any case lives.
 */
export const TRACKING_RATE_LIMIT_PER_MINUTE = 20;

/** What the form at `/track` sends: the number and the code as typed (the same rules as the link's). */
const formQuerySchema = z
  .object({ caseNumber: trackingParamsSchema.shape.caseNumber, code: trackingQuerySchema.shape.code })
  .strict();

function sendPage(reply: FastifyReply, status: number, html: string) {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', TRACKING_CSP)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .send(html);
}

const hasQuery = (req: FastifyRequest) => Object.keys(req.query as object).length > 0;

/**
 * The public tracking page (办件查询): `GET /track/<case number>?code=<query code>` from the receipt's QR,
 * and `GET /track` with a form for both. A wrong code, a malformed one and an unknown number all get the
 * same 404 page, and every lookup counts against the client address's limit (never the Authorization
 * header's: anyone can send a fresh one with each guess).
 */
export function trackingRoutes(app: FastifyInstance, db: Db) {
  app.register(async (scoped) => {
    const limit = scoped.createRateLimit({
      max: TRACKING_RATE_LIMIT_PER_MINUTE,
      timeWindow: 60_000,
      keyGenerator: (req) => normalizeIP(req.ip),
    });
    scoped.addHook('onRequest', async (req, reply) => {
      const counted = await limit(req);
      if (!counted.isAllowed && counted.isExceeded) {
        reply.header('retry-after', counted.ttlInSeconds);
        return sendPage(reply, 429, TOO_MANY_PAGE);
      }
    });
    // Outside the per-device limit: this one is per address, above.
    const route = { config: { rateLimit: false } } as const;

    const answer = async (req: FastifyRequest, reply: FastifyReply, caseNumber: string, code: string) => {
      try {
        const view = await trackedCase(db, caseNumber, code);
        return view ? sendPage(reply, 200, trackingResultPage(view)) : sendPage(reply, 404, NOT_FOUND_PAGE);
      } catch (e) {
        req.log.error({ err: e }, 'tracking lookup failed');
        return sendPage(reply, 500, UNAVAILABLE_PAGE);
      }
    };

    scoped.get(TRACKING_PATH, route, async (req, reply) => {
      if (!hasQuery(req)) return sendPage(reply, 200, trackingFormPage());
      const form = formQuerySchema.safeParse(req.query);
      if (!form.success) return sendPage(reply, 404, NOT_FOUND_PAGE);
      return answer(req, reply, form.data.caseNumber, form.data.code);
    });

    scoped.get(`${TRACKING_PATH}/:caseNumber`, route, async (req, reply) => {
      const params = trackingParamsSchema.safeParse(req.params);
      if (!params.success) return sendPage(reply, 404, NOT_FOUND_PAGE);
      // A link typed from paper without its code: ask for it (the same form for every number).
      if (!hasQuery(req)) return sendPage(reply, 200, trackingFormPage(params.data.caseNumber));
      const query = trackingQuerySchema.safeParse(req.query);
      if (!query.success) return sendPage(reply, 404, NOT_FOUND_PAGE);
      return answer(req, reply, params.data.caseNumber, query.data.code);
    });
  });
}
