import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  OPEN311_DISCOVERY_PATH,
  OPEN311_PATH,
  open311RequestsQuerySchema,
  open311ServicesQuerySchema,
  type Open311Discovery,
} from '@shared/console/open311';
import type { Db } from '../db/pool';
import { hallStore, type Hall } from '../store/hall-store';
import { departmentNames, publicStates, requestOf, servicesOf } from './open311-answers';
import { open311Store, type RequestFilter } from './open311-store';
import { afterHallDate, startOf } from './open311-time';

/** Requests per minute per client address: a platform paging through a hall's cases fits well inside. */
export const OPEN311_RATE_LIMIT_PER_MINUTE = 120;

/** GeoReport's own rule: a search spans at most 90 days, and without dates it is the last 90. */
const MAX_SPAN_MS = 90 * 86_400_000;
const DEFAULT_PAGE_SIZE = 200;
/** When this API last changed (discovery's `changeset`). */
const CHANGESET = '2026-12-06T00:00:00Z';

const noQuery = z.object({}).strict();

/** GeoReport's error answer: an array of `{code, description}`, the code being the HTTP status. */
function fail(reply: FastifyReply, code: number, description: string) {
  return reply.code(code).send([{ code, description }]);
}

const describe = (error: z.ZodError) =>
  error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');

const list = (s: string | undefined) => {
  const items = (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  return items.length > 0 ? items : null;
};

/**
 * The hall a request asks about: `jurisdiction_id` is a hall code; without one, the only hall when central
 * serves one. Undefined when there is none to answer about: the error is sent then.
 */
async function jurisdiction(db: Db, reply: FastifyReply, code: string | undefined): Promise<Hall | undefined> {
  const halls = await hallStore.halls(db);
  if (code !== undefined) {
    const hall = halls.find((h) => h.code === code);
    if (!hall) fail(reply, 404, 'jurisdiction_id not found');
    return hall;
  }
  if (halls.length === 1) return halls[0];
  if (halls.length === 0) fail(reply, 404, 'no jurisdiction here');
  else fail(reply, 400, 'jurisdiction_id is required: this server serves several halls (jurisdiction_id = hall code)');
  return undefined;
}

/** The cases with these numbers, whatever else a query says. */
const byCaseNumbers = (caseNumbers: string[]): RequestFilter => ({
  caseNumbers,
  matterCodes: null,
  statuses: publicStates(undefined),
  from: null,
  before: null,
  through: null,
  limit: caseNumbers.length,
  offset: 0,
});

/** The filter of `requests.json` (dates in the hall's zone), or a description of why it cannot be answered. */
function filterOf(q: z.infer<typeof open311RequestsQuerySchema>, now: Date, timeZone: string): RequestFilter | string {
  const pageSize = q.page_size ?? DEFAULT_PAGE_SIZE;
  const caseNumbers = list(q.service_request_id);
  // GeoReport: a list of ids overrides every other argument.
  if (caseNumbers) return byCaseNumbers(caseNumbers);
  let from = q.start_date ? startOf(q.start_date, timeZone) : null;
  // A date-only end takes in its whole hall day; a datetime end is the last instant included.
  let before = q.end_date && !q.end_date.includes('T') ? afterHallDate(q.end_date, timeZone) : null;
  const through = q.end_date?.includes('T') ? new Date(q.end_date) : null;
  const end = before ?? through;
  if (!from && !end) {
    from = new Date(now.getTime() - MAX_SPAN_MS);
  } else if (!from) {
    from = new Date(end!.getTime() - MAX_SPAN_MS);
  } else if (!end) {
    before = new Date(from.getTime() + MAX_SPAN_MS);
  } else if (end.getTime() < from.getTime()) {
    return 'end_date must not be before start_date';
  } else if (end.getTime() - from.getTime() > MAX_SPAN_MS) {
    return 'start_date and end_date may not span more than 90 days';
  }
  return {
    caseNumbers: null,
    matterCodes: list(q.service_code),
    statuses: publicStates(q.status),
    from,
    before,
    through,
    limit: pageSize,
    offset: ((q.page ?? 1) - 1) * pageSize,
  };
}

/**
 * A read-only Open311 GeoReport v2 API over each hall's matter catalog and cases (JSON only), and its
 * discovery file. Public facts only: no applicant, ID, phone, address or note ever leaves through it.
 * Open to anyone and limited per client address; cross-origin reads are allowed (there is nothing
 * private to protect and no credential to send).
 */
export function open311Routes(app: FastifyInstance, db: Db, opts: { publicUrl: string | null }) {
  app.register(
    async (scoped) => {
      const limit = scoped.createRateLimit({
        max: OPEN311_RATE_LIMIT_PER_MINUTE,
        timeWindow: 60_000,
        keyGenerator: (req) => normalizeIP(req.ip),
      });
      scoped.addHook('onRequest', async (req, reply) => {
        reply
          .header('access-control-allow-origin', '*')
          .header('cache-control', 'no-store')
          .header('x-content-type-options', 'nosniff');
        const counted = await limit(req);
        if (!counted.isAllowed && counted.isExceeded) {
          reply.header('retry-after', counted.ttlInSeconds);
          return fail(reply, 429, `too many requests: retry in ${counted.ttlInSeconds} s`);
        }
      });
      scoped.setNotFoundHandler((_req, reply) => fail(reply, 404, 'not found'));
      scoped.setErrorHandler((err, req, reply) => {
        req.log.error({ err }, 'open311 request failed');
        return fail(reply, 500, 'internal error');
      });
      // Outside the per-device limit: this API's is per address, above.
      const route = { config: { rateLimit: false } } as const;
      const v2 = OPEN311_PATH.slice('/open311'.length);

      scoped.get(OPEN311_DISCOVERY_PATH.slice('/open311'.length), route, async (req, reply) => {
        const parsed = noQuery.safeParse(req.query);
        if (!parsed.success) return fail(reply, 400, describe(parsed.error));
        const base = opts.publicUrl ?? `${req.protocol}://${req.host}`;
        const discovery: Open311Discovery = {
          changeset: CHANGESET,
          contact: '政务服务中心一窗通系统（只读办件状态接口，问题请联系中心系统管理员）',
          key_service: '只读接口，无需 API 密钥',
          endpoints: [
            {
              specification: 'http://wiki.open311.org/GeoReport_v2',
              url: `${base}${OPEN311_PATH}`,
              changeset: CHANGESET,
              type: 'production',
              formats: ['application/json'],
            },
          ],
        };
        return discovery;
      });

      scoped.get(`${v2}/services.json`, route, async (req, reply) => {
        const parsed = open311ServicesQuerySchema.safeParse(req.query);
        if (!parsed.success) return fail(reply, 400, describe(parsed.error));
        const hall = await jurisdiction(db, reply, parsed.data.jurisdiction_id);
        if (!hall) return reply;
        const [matters, departments] = await Promise.all([
          open311Store.catalog(db, hall.id, 'catalog.matter'),
          open311Store.catalog(db, hall.id, 'catalog.department'),
        ]);
        return servicesOf(matters, departmentNames(departments));
      });

      scoped.get(`${v2}/requests.json`, route, async (req, reply) => {
        const parsed = open311RequestsQuerySchema.safeParse(req.query);
        if (!parsed.success) return fail(reply, 400, describe(parsed.error));
        const hall = await jurisdiction(db, reply, parsed.data.jurisdiction_id);
        if (!hall) return reply;
        const filter = filterOf(parsed.data, new Date(), hall.timeZone);
        if (typeof filter === 'string') return fail(reply, 400, filter);
        return (await open311Store.requests(db, hall.id, filter)).map((r) => requestOf(r, hall.timeZone));
      });

      scoped.get<{ Params: { file: string } }>(`${v2}/requests/:file`, route, async (req, reply) => {
        const parsed = open311ServicesQuerySchema.safeParse(req.query);
        if (!parsed.success) return fail(reply, 400, describe(parsed.error));
        const caseNumber = /^(.{1,40})\.json$/.exec(req.params.file)?.[1];
        if (!caseNumber) return fail(reply, 404, 'not found: ask for requests/<service_request_id>.json');
        const hall = await jurisdiction(db, reply, parsed.data.jurisdiction_id);
        if (!hall) return reply;
        const rows = await open311Store.requests(db, hall.id, byCaseNumbers([caseNumber]));
        if (rows.length === 0) return fail(reply, 404, 'service_request_id not found');
        return rows.map((r) => requestOf(r, hall.timeZone));
      });
    },
    { prefix: '/open311' },
  );
}
