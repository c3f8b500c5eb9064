import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { LEADER_FILE_MAX_BYTES } from '@shared/api/methods/leader';
import {
  OFFICE_ROLES,
  officeBriefingInputSchema,
  officeBriefingUpdateSchema,
  officeFileInputSchema,
  officeScheduleInputSchema,
  officeScheduleQuerySchema,
  officeScheduleUpdateSchema,
  officeVersionSchema,
} from '@shared/console/office';
import { LEADER_FILE_BASE64_MAX } from '@shared/console/office-file';
import { CONSOLE_API } from '@shared/console/session';
import { staffIdSchema } from '@shared/identity/staff';
import { forbidden, notFound, requireConsole } from '../casework/console-access';
import type { Db } from '../db/pool';
import { invalidInput } from '../routes/invalid-input';
import { createOfficeService, type OfficeRefusal, type OfficeResult } from './office-service';

/**
 * The upload's body: a file of the largest size in base64 with its few fields, and no more (the rest of
 * central keeps its 4 MiB). A bigger body is refused before it is read; one that fits the body but decodes
 * to more than 20 MiB is refused by the upload's schema.
 */
export const OFFICE_FILE_BODY_LIMIT = LEADER_FILE_BASE64_MAX + 16 * 1024;

const leaderParams = z.object({ staffId: staffIdSchema }).strict();
const itemParams = z.object({ staffId: staffIdSchema, id: z.uuid() }).strict();

const REFUSALS = {
  ITEM_CHANGED: 'the item was changed by someone else since it was loaded',
  ITEM_CANCELLED: 'the item was cancelled or withdrawn',
} as const;

function refuse(reply: FastifyReply, r: OfficeRefusal) {
  if (r.code === 'NOT_FOUND') return notFound(reply, 'no such leader or item');
  if (r.code === 'SCHEDULE_CONFLICT') {
    const message = `overlaps ${r.conflicts.length} other item(s) of the leader's schedule`;
    return reply.code(409).send({ error: r.code, code: r.code, message, conflicts: r.conflicts });
  }
  return reply.code(409).send({ error: r.code, code: r.code, message: REFUSALS[r.code] });
}
const answer = <T>(reply: FastifyReply, r: OfficeResult<T>, status = 200) =>
  r.ok ? reply.code(status).send(r.value) : refuse(reply, r);

/** The leader's office under CONSOLE_API: for the leader's office and central administrators only. */
export function officeRoutes(app: FastifyInstance, db: Db) {
  const office = createOfficeService(db);
  app.register(async (scoped) => {
    // At the request's start, before a body is read: a person who may not upload never sends 27 MB in.
    scoped.addHook('onRequest', requireConsole(db));
    scoped.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      if (!OFFICE_ROLES.some((r) => req.actor!.roles.includes(r))) {
        return forbidden(reply, 'only the leader’s office and central administrators run the leader’s office');
      }
    });
    scoped.setErrorHandler((error: FastifyError, _req, reply) => {
      if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error;
      const message = `the file is larger than ${LEADER_FILE_MAX_BYTES / (1024 * 1024)} MiB`;
      return reply
        .code(413)
        .send({ error: 'FILE_TOO_LARGE', code: 'FILE_TOO_LARGE', message, fields: { dataBase64: message } });
    });
    const api = (path: string) => `${CONSOLE_API}/office${path}`;
    /** Parses params and body (or query) with their schemas; undefined once the refusal is sent. */
    const parse = <P extends z.ZodType, B extends z.ZodType>(
      req: FastifyRequest,
      reply: FastifyReply,
      params: P,
      body: B,
      from: 'body' | 'query' = 'body',
    ): { params: z.infer<P>; body: z.infer<B> } | undefined => {
      const p = params.safeParse(req.params);
      if (!p.success) return void invalidInput(reply, p.error);
      const b = body.safeParse(from === 'body' ? req.body : req.query);
      if (!b.success) return void invalidInput(reply, b.error);
      return { params: p.data, body: b.data };
    };

    scoped.get(api('/leaders'), async () => office.leaders());

    scoped.get(api('/leaders/:staffId/schedules'), async (req, reply) => {
      const p = parse(req, reply, leaderParams, officeScheduleQuerySchema, 'query');
      if (!p) return reply;
      return answer(reply, await office.schedules(p.params.staffId, p.body));
    });
    scoped.post(api('/leaders/:staffId/schedules'), async (req, reply) => {
      const p = parse(req, reply, leaderParams, officeScheduleInputSchema);
      if (!p) return reply;
      return answer(reply, await office.createSchedule(req, req.actor!, p.params.staffId, p.body), 201);
    });
    scoped.post(api('/leaders/:staffId/schedules/:id'), async (req, reply) => {
      const p = parse(req, reply, itemParams, officeScheduleUpdateSchema);
      if (!p) return reply;
      return answer(reply, await office.updateSchedule(req, req.actor!, p.params.staffId, p.params.id, p.body));
    });
    scoped.post(api('/leaders/:staffId/schedules/:id/cancel'), async (req, reply) => {
      const p = parse(req, reply, itemParams, officeVersionSchema);
      if (!p) return reply;
      return answer(reply, await office.cancelSchedule(req, req.actor!, p.params.staffId, p.params.id, p.body.version));
    });

    scoped.get(api('/leaders/:staffId/briefings'), async (req, reply) => {
      const p = parse(req, reply, leaderParams, z.object({}), 'query');
      if (!p) return reply;
      return answer(reply, await office.briefings(p.params.staffId));
    });
    scoped.post(api('/leaders/:staffId/briefings'), async (req, reply) => {
      const p = parse(req, reply, leaderParams, officeBriefingInputSchema);
      if (!p) return reply;
      return answer(reply, await office.createBriefing(req, req.actor!, p.params.staffId, p.body), 201);
    });
    scoped.post(api('/leaders/:staffId/briefings/:id'), async (req, reply) => {
      const p = parse(req, reply, itemParams, officeBriefingUpdateSchema);
      if (!p) return reply;
      return answer(reply, await office.updateBriefing(req, req.actor!, p.params.staffId, p.params.id, p.body));
    });
    scoped.post(api('/leaders/:staffId/briefings/:id/withdraw'), async (req, reply) => {
      const p = parse(req, reply, itemParams, officeVersionSchema);
      if (!p) return reply;
      return answer(
        reply,
        await office.withdrawBriefing(req, req.actor!, p.params.staffId, p.params.id, p.body.version),
      );
    });

    scoped.get(api('/leaders/:staffId/files'), async (req, reply) => {
      const p = parse(req, reply, leaderParams, z.object({}), 'query');
      if (!p) return reply;
      return answer(reply, await office.files(p.params.staffId));
    });
    scoped.post(api('/leaders/:staffId/files'), { bodyLimit: OFFICE_FILE_BODY_LIMIT }, async (req, reply) => {
      const p = parse(req, reply, leaderParams, officeFileInputSchema);
      if (!p) return reply;
      return answer(reply, await office.uploadFile(req, req.actor!, p.params.staffId, p.body), 201);
    });
    scoped.post(api('/leaders/:staffId/files/:id/withdraw'), async (req, reply) => {
      const p = parse(req, reply, itemParams, officeVersionSchema);
      if (!p) return reply;
      return answer(reply, await office.withdrawFile(req, req.actor!, p.params.staffId, p.params.id, p.body.version));
    });
  });
}
