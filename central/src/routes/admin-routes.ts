import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { LEADER_FILE_MAX_BYTES } from '@shared/api/methods/leader';
import { timeZone } from '@shared/api/methods/queue';
import {
  ENROLMENT_CODE_TTL_MINUTES,
  enrolmentCodeTtlSchema,
  hallCodeSchema,
  hallNameSchema,
} from '@shared/console/administration';
import { DEFAULT_HALL_TIME_ZONE } from '@shared/format/hall-time';
import { REF_KINDS, isRefKind } from '@shared/sync/reference';
import { deviceRoleSchema } from '@shared/sync/wire';
import { securityZoneSchema } from '@shared/sync/zones';
import { inTransaction, type Db } from '../db/pool';
import { auditAdmin } from '../identity/audit';
import { deviceAdmin } from '../administration/device-admin';
import { hallAdmin } from '../administration/hall-admin';
import { requireSession, sendIdentityError } from '../identity/identity-routes';
import { clerkParams, clerkPutSchema } from '../identity/schemas';
import { hashSecret } from '../identity/secret-hash';
import { adminHalls, isCentralAdmin, mayActInHall } from '../identity/staff-admin';
import { auditView, writeStaff } from '../identity/staff-refs';
import { staffStore } from '../identity/staff-store';
import { hallStore } from '../store/hall-store';
import { intakeStore } from '../store/intake-store';
import { mutationLogStore } from '../store/mutation-log-store';
import { leaderStore } from '../store/leader-store';
import { referenceStore } from '../store/reference-store';
import { REF_ID_FIELDS, writeRef } from '../reference/write-ref';
import { verifyLeaderAudit } from '../audit-anchor/anchor-service';
import { anchorStore } from '../audit-anchor/anchor-store';
import { invalidInput } from './invalid-input';

// A hall made here without a zone is in the hall default; the console sets and changes it.
const hallSchema = z
  .object({ code: hallCodeSchema, name: hallNameSchema, timeZone: timeZone.default(DEFAULT_HALL_TIME_ZONE) })
  .strict();
const codeRequestSchema = z
  .object({
    role: deviceRoleSchema,
    leaderId: z.uuid().nullable().default(null),
    zone: securityZoneSchema.nullable().default(null),
    ttlMinutes: enrolmentCodeTtlSchema.default(ENROLMENT_CODE_TTL_MINUTES.default),
  })
  .strict()
  .refine((c) => (c.role === 'leader') === (c.leaderId !== null), { message: 'leaderId goes with role leader only' });
const refPutSchema = z
  .object({
    hallId: z.uuid().nullable(),
    leaderId: z.uuid().nullable().default(null),
    data: z.unknown(),
  })
  .strict();
const uuidParam = z.object({ id: z.uuid() });
const refParams = z.object({ kind: z.string(), id: z.string().min(1).max(120) });

/**
 * A reference row may carry a leader file of up to 20 MiB, base64 in JSON: the admin's PUT of a row gets
 * room for that (and only that route: device bodies keep the server's 4 MiB limit).
 */
export const REF_BODY_LIMIT = Math.ceil(LEADER_FILE_MAX_BYTES / 3) * 4 + 1024 * 1024;

/** The admin API: halls, enrollment codes, devices, reference rows (catalog, holidays, clerks, leader content). */
const alarmQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();

/** `centralPin`: central's TLS pin (null over plain HTTP), handed out with each enrolment code. */
export function adminRoutes(app: FastifyInstance, db: Db, centralPin: string | null = null) {
  app.register(async (scoped) => {
    scoped.addHook('preHandler', requireSession(db));
    const forbidden = (reply: FastifyReply) =>
      reply.code(403).send({ error: 'FORBIDDEN', code: 'FORBIDDEN', message: 'not an administrator of this hall' });
    const who = (req: FastifyRequest) => ({ staffId: req.actor!.id, login: req.actor!.login });
    const centralOnly = async (req: FastifyRequest, reply: FastifyReply) => {
      if (!isCentralAdmin(req.actor!)) return forbidden(reply);
    };

    const run = async (reply: FastifyReply, fn: () => Promise<unknown>, status = 200) => {
      try {
        return reply.code(status).send(await fn());
      } catch (e) {
        return sendIdentityError(reply, e);
      }
    };

    scoped.post('/admin/v1/halls', { preHandler: centralOnly }, async (req, reply) => {
      const p = hallSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return run(reply, () => hallAdmin.create(db, req, req.actor!, p.data), 201);
    });
    scoped.get('/admin/v1/halls', async (req) => {
      const halls = adminHalls(req.actor!);
      return (await hallStore.halls(db)).filter((h) => halls === null || halls.includes(h.id));
    });

    scoped.post('/admin/v1/halls/:id/enrollment-codes', async (req, reply) => {
      const params = uuidParam.safeParse(req.params);
      const p = codeRequestSchema.safeParse(req.body);
      if (!params.success) return invalidInput(reply, params.error);
      if (!p.success) return invalidInput(reply, p.error);
      return run(
        reply,
        async () => {
          const { code, zone, expiresAt } = await deviceAdmin.createCode(db, req, req.actor!, params.data.id, p.data);
          return { code, zone, expiresAt, centralPin };
        },
        201,
      );
    });
    scoped.get('/admin/v1/halls/:id/devices', async (req, reply) => {
      const params = uuidParam.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      if (!mayActInHall(req.actor!, params.data.id)) return forbidden(reply);
      return hallStore.devices(db, params.data.id);
    });
    scoped.post('/admin/v1/devices/:id/revoke', async (req, reply) => {
      const params = uuidParam.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      return run(reply, async () => {
        await deviceAdmin.revoke(db, req, req.actor!, params.data.id);
        return { revoked: true };
      });
    });
    scoped.get('/admin/v1/halls/:id/mutations', async (req, reply) => {
      const params = uuidParam.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      if (!mayActInHall(req.actor!, params.data.id)) return forbidden(reply);
      return mutationLogStore.forHall(db, params.data.id);
    });
    // Bad ratings (不满意 / 非常不满意) of a hall, newest first: each deserves a look from the supervisor.
    scoped.get('/admin/v1/halls/:id/bad-ratings', async (req, reply) => {
      const params = uuidParam.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      if (!mayActInHall(req.actor!, params.data.id)) return forbidden(reply);
      return intakeStore.badRatings(db, params.data.id, 200);
    });

    const putRef = async (
      req: FastifyRequest,
      reply: FastifyReply,
      kind: string,
      id: string,
      body: unknown,
      deleted: boolean,
    ) => {
      if (!isRefKind(kind)) return reply.code(404).send({ error: 'UNKNOWN_KIND' });
      // Staff rows follow the accounts: written through /admin/v1/staff only, never by hand.
      if (kind === 'staff') return reply.code(409).send({ error: 'USE_STAFF_API', code: 'USE_STAFF_API' });
      // A hall's zone row follows the halls table: written by the hall's create or edit only.
      if (kind === 'hall.zone') return reply.code(409).send({ error: 'USE_HALL_API', code: 'USE_HALL_API' });
      const p = refPutSchema.safeParse(body);
      if (!p.success) return invalidInput(reply, p.error);
      const def = REF_KINDS[kind];
      // Every hall's rows and leader content are central's; a hall administrator writes their hall's rows.
      if (!isCentralAdmin(req.actor!) && (p.data.hallId === null || def.scope === 'leader')) return forbidden(reply);
      if (!mayActInHall(req.actor!, p.data.hallId)) return forbidden(reply);
      if ((def.scope === 'leader') !== (p.data.leaderId !== null)) {
        return reply.code(400).send({
          error: 'INVALID_INPUT',
          issues: [{ path: 'leaderId', message: 'required for leader content only' }],
        });
      }
      if (def.scope === 'leader' && p.data.hallId === null) {
        return reply.code(400).send({
          error: 'INVALID_INPUT',
          issues: [{ path: 'hallId', message: 'leader content belongs to one hall' }],
        });
      }
      const idCheck = 'id' in def ? def.id.safeParse(id) : undefined;
      if (idCheck && !idCheck.success) {
        return reply.code(400).send({ error: 'INVALID_INPUT', issues: [{ path: 'id', message: 'must be a UUID' }] });
      }
      const data = deleted ? null : def.data.safeParse(p.data.data);
      if (data && !data.success) return invalidInput(reply, data.error);
      const idField = REF_ID_FIELDS[kind];
      if (data && idField && (data.data as Record<string, unknown>)[idField] !== id) {
        return reply.code(400).send({
          error: 'INVALID_INPUT',
          issues: [{ path: `data.${idField}`, message: `must equal the row id "${id}"` }],
        });
      }
      const version = await inTransaction(db, (tx) =>
        writeRef(tx, req, who(req), {
          kind,
          id,
          hallId: p.data.hallId,
          leaderId: p.data.leaderId,
          data: data?.data ?? null,
          deleted,
        }),
      );
      if (version === 'UNKNOWN_DEPARTMENT') return reply.code(409).send({ error: version });
      return { kind, id, version };
    };
    scoped.put('/admin/v1/ref/:kind/:id', { bodyLimit: REF_BODY_LIMIT }, async (req, reply) => {
      const params = refParams.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      return putRef(req, reply, params.data.kind, params.data.id, req.body, false);
    });
    // A deletion is a tombstone with its own version, so devices that pulled the row learn it is gone.
    scoped.post('/admin/v1/ref/:kind/:id/delete', async (req, reply) => {
      const params = refParams.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      return putRef(req, reply, params.data.kind, params.data.id, { ...(req.body as object), data: null }, true);
    });
    // What a leader did with the content central sent (read, 批示, approve), oldest first.
    scoped.get('/admin/v1/leaders/:id/actions', { preHandler: centralOnly }, async (req, reply) => {
      const params = uuidParam.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      return leaderStore.actionsOf(db, params.data.id);
    });
    // Recomputes a leader device's audit chain as central holds it: ok, or the first broken row.
    scoped.get('/admin/v1/devices/:id/leader-audit/verify', async (req, reply) => {
      const params = uuidParam.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      const device = await hallStore.device(db, params.data.id);
      if (device && !mayActInHall(req.actor!, device.hallId)) return forbidden(reply);
      return verifyLeaderAudit(db, params.data.id);
    });
    // Device audit chains whose pushed head did not extend the one anchored before: newest first.
    scoped.get('/admin/v1/audit-alarms', async (req, reply) => {
      const q = alarmQuery.safeParse(req.query);
      if (!q.success) return invalidInput(reply, q.error);
      return anchorStore.alarms(db, { hallIds: adminHalls(req.actor!), limit: q.data.limit });
    });
    // The relay of devices from before staff accounts: a clerk of one hall, with a PIN.
    scoped.put('/admin/v1/halls/:id/clerks/:clerkId', async (req, reply) => {
      const params = clerkParams.safeParse(req.params);
      const p = clerkPutSchema.safeParse(req.body);
      if (!params.success) return invalidInput(reply, params.error);
      if (!p.success) return invalidInput(reply, p.error);
      const { id: hallId, clerkId } = params.data;
      if (!mayActInHall(req.actor!, hallId)) return forbidden(reply);
      if (!(await hallStore.hall(db, hallId))) return reply.code(404).send({ error: 'NOT_FOUND' });
      const pinHash = await hashSecret(p.data.pin);
      const result = await inTransaction(db, async (tx) => {
        const before = await staffStore.byId(tx, clerkId, true);
        // Only a clerk of this hall alone: anyone else is changed through /admin/v1/staff.
        if (before && (before.roles.some((r) => r !== 'clerk') || before.hallIds.some((h) => h !== hallId))) {
          return 'NOT_A_CLERK_OF_THIS_HALL' as const;
        }
        const login =
          before?.login ??
          clerkId
            .toLowerCase()
            .replace(/^[^a-z0-9]+/, '')
            .padEnd(2, '0')
            .slice(0, 32);
        if (!before && (await staffStore.byLogin(tx, login))) return 'LOGIN_TAKEN' as const;
        const next = {
          id: clerkId,
          login,
          name: p.data.name,
          roles: ['clerk'],
          hallIds: [hallId],
          departmentIds: [],
          enabled: before?.enabled ?? true,
          pinHash,
          passwordHash: before?.passwordHash ?? null,
          totpSecret: before?.totpSecret ?? null,
          source: 'central' as const,
        };
        await writeStaff(tx, next, before);
        await auditAdmin(tx, req, who(req), {
          action: before ? 'pin_reset' : 'staff_created',
          entity: `staff:${clerkId}`,
          hallId,
          before: auditView(before),
          after: auditView(next),
        });
        return referenceStore.versionOf(tx, 'staff', clerkId, hallId);
      });
      if (typeof result === 'string') return reply.code(409).send({ error: result, code: result });
      return { kind: 'staff', id: clerkId, version: result };
    });
  });
}
