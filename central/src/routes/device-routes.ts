import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  MAX_PULL_PAGE,
  MAX_PULL_PAGE_BYTES,
  SYNC_SCHEMA_HEADER,
  enrollRequestSchema,
  pushRequestSchema,
  replicaQuerySchema,
  type DeviceRole,
  type PushResponse,
  type RefRow,
  type ReplicaStatus,
} from '@shared/sync/wire';
import { STAFF_PASSWORD_ROLES, STAFF_PIN_ROLES } from '@shared/sync/reference';
import { ZONE_OF_ROLE } from '@shared/sync/zones';
import { inTransaction } from '../db/pool';
import { hallStore } from '../store/hall-store';
import { mutationLogStore } from '../store/mutation-log-store';
import { profileStore } from '../store/profile-store';
import { referenceStore } from '../store/reference-store';
import { pushBatch, type PushDeps } from '../sync/push';
import { pullRefusal, zoneMayReceive } from '../zones/pull-access';
import { requireDevice } from './auth';
import { invalidInput } from './invalid-input';

const pullQuerySchema = z
  .object({
    cursor: z.string().max(100).default(''),
    kinds: z.string().min(1).max(1000),
    limit: z.coerce.number().int().min(1).max(MAX_PULL_PAGE).default(MAX_PULL_PAGE),
  })
  .strict();

/** Cursor = `<central instance>.<last version>`; another instance's cursor means "start again". */
function parseCursor(cursor: string, instanceId: string): number | 'reset' {
  if (cursor === '') return 0;
  const [inst, v] = cursor.split('.');
  const version = Number(v);
  return inst === instanceId && Number.isSafeInteger(version) && version >= 0 ? version : 'reset';
}

const LOOKUP_ROLES = new Set(['counter', 'admin', 'hub']);
const PIN_ROLES: ReadonlySet<string> = new Set(STAFF_PIN_ROLES);
const PASSWORD_ROLES: ReadonlySet<string> = new Set(STAFF_PASSWORD_ROLES);

/**
 * A staff row with only the credentials the device verifies (none for a kiosk, display or leader PC;
 * PINs only for a counter PC): decided by the device's enrolled role, whatever kinds it asks for.
 */
function forDevice(row: RefRow, role: string): RefRow {
  if (row.kind !== 'staff' || row.deleted || !row.data || PASSWORD_ROLES.has(role)) return row;
  const data = row.data as { pinHash: string | null };
  const pinHash = PIN_ROLES.has(role) ? data.pinHash : null;
  return { ...row, data: { ...data, pinHash, passwordHash: null, totpSecret: null } };
}

/**
 * `trackingUrl`: the public tracking page's address (`<CENTRAL_PUBLIC_URL>/track`), told to each device at
 * enrolment as its hall profile's default; null when central's public address is not configured.
 * `leaderSealKey`: central's public key for what leader devices seal for it, told to every device.
 */
export function deviceRoutes(
  app: FastifyInstance,
  deps: PushDeps,
  opts: { trackingUrl: string | null; leaderSealKey: string; demo: boolean },
) {
  const db = deps.pool;
  const schemaGate = async (req: FastifyRequest, reply: FastifyReply) => {
    const v = Number(req.headers[SYNC_SCHEMA_HEADER]);
    if (!Number.isInteger(v) || v < deps.schema.min || v > deps.schema.max) {
      return reply.code(426).send({ error: 'SCHEMA_MISMATCH', accepted: deps.schema });
    }
  };
  app.post('/sync/v1/enroll', async (req, reply) => {
    const parsed = enrollRequestSchema.safeParse(req.body);
    if (!parsed.success) return invalidInput(reply, parsed.error);
    // Before the code is spent: the device can be given its deployment's key and use the same code.
    if (parsed.data.demoIdHashKey && !opts.demo) {
      return reply.code(409).send({
        error: 'DEMO_ID_HASH_KEY',
        message: 'this central is not a demo: the device must have the deployment idHashKey in its config',
      });
    }
    const deviceId = crypto.randomUUID();
    const token = crypto.randomBytes(32).toString('base64url');
    const enrolled = await inTransaction(db, async (tx) => {
      const used = await hallStore.useCode(tx, parsed.data.code, deviceId);
      if (!used) return undefined;
      // Central decides the zone: the administrator's, else the role's. The device only learns it.
      const code = { ...used, role: used.role as DeviceRole, zone: used.zone ?? ZONE_OF_ROLE[used.role as DeviceRole] };
      await hallStore.insertDevice(
        tx,
        {
          id: deviceId,
          hallId: code.hallId,
          role: code.role,
          leaderId: code.leaderId,
          name: parsed.data.deviceName,
          zone: code.zone,
        },
        token,
      );
      const previous = parsed.data.previousToken
        ? await hallStore.deviceOfHallByToken(tx, code.hallId, parsed.data.previousToken)
        : undefined;
      if (previous) {
        await hallStore.handOverReplicas(tx, previous, deviceId);
        await hallStore.revoke(tx, previous);
      }
      return { code, hall: (await hallStore.hall(tx, code.hallId))! };
    });
    if (!enrolled) return reply.code(403).send({ error: 'ENROLLMENT_CODE_INVALID' });
    const { role, leaderId, zone } = enrolled.code;
    req.log.info({ deviceId, hallId: enrolled.hall.id, role, zone }, 'device enrolled');
    return {
      deviceId,
      hall: enrolled.hall,
      role,
      leaderId,
      zone,
      token,
      trackingUrl: opts.trackingUrl,
      leaderSealKey: opts.leaderSealKey,
      demo: opts.demo,
    };
  });

  app.register(async (scoped) => {
    scoped.addHook('preHandler', requireDevice(db));

    scoped.post('/sync/v1/push', { preHandler: schemaGate }, async (req, reply) => {
      const parsed = pushRequestSchema.safeParse(req.body);
      if (!parsed.success) return invalidInput(reply, parsed.error);
      const device = req.device!;
      const result = await pushBatch(deps, device, parsed.data);
      if (result.kind === 'foreign-replica') return reply.code(403).send({ error: 'FOREIGN_REPLICA' });
      if (result.kind === 'gap') return reply.code(409).send({ error: 'SEQ_GAP', lastSeq: result.lastSeq });
      const heads = parsed.data.auditHeads ?? [];
      if (heads.length === 0) return { lastSeq: result.lastSeq, outcomes: result.outcomes };
      // The batch committed without it: a failure to anchor must not make the device send it again forever.
      const { alarms: auditAlarms, failure } = result.anchored;
      if (failure) req.log.error({ err: failure, deviceId: device.id }, 'anchoring the audit heads failed');
      if (auditAlarms.length > 0) req.log.warn({ deviceId: device.id, auditAlarms }, 'device audit chain alarm');
      const answer: PushResponse = { lastSeq: result.lastSeq, outcomes: result.outcomes, auditAlarms };
      return answer;
    });

    // The device checks that central still holds what it acknowledged (central may have been restored).
    scoped.post('/sync/v1/replicas', { preHandler: schemaGate }, async (req, reply) => {
      const parsed = replicaQuerySchema.safeParse(req.body);
      if (!parsed.success) return invalidInput(reply, parsed.error);
      const seqs = await mutationLogStore.lastSeqs(db, req.device!.hallId, parsed.data.replicaIds);
      const answer: ReplicaStatus = { replicas: [...seqs].map(([replicaId, lastSeq]) => ({ replicaId, lastSeq })) };
      return answer;
    });

    scoped.get('/sync/v1/pull', { preHandler: schemaGate }, async (req, reply) => {
      const parsed = pullQuerySchema.safeParse(req.query);
      if (!parsed.success) return invalidInput(reply, parsed.error);
      const device = req.device!;
      const instanceId = await referenceStore.instanceId(db);
      const parsedFrom = parseCursor(parsed.data.cursor, instanceId);
      // Ahead of the clock: central was restored from a dump, and its next versions are ones the device has seen.
      const from =
        parsedFrom !== 'reset' && parsedFrom > (await referenceStore.clock(db)) ? ('reset' as const) : parsedFrom;
      const after = from === 'reset' ? 0 : from;
      const kinds = parsed.data.kinds.split(',');
      // Asking for more than the role and zone allow is refused whole: a device never wired for a kind.
      const refused = pullRefusal(kinds, device);
      if (refused) {
        req.log.warn({ deviceId: device.id, ...refused }, 'pull refused');
        return reply.code(403).send(refused);
      }
      const { rows, more } = await referenceStore.page(
        db,
        { hallId: device.hallId, leaderId: device.leaderId, kinds },
        after,
        parsed.data.limit,
        MAX_PULL_PAGE_BYTES,
      );
      const last = rows.at(-1)?.version ?? after;
      return {
        reset: from === 'reset',
        rows: rows.filter((r) => zoneMayReceive(r, device.zone)).map((r) => forDevice(r, device.role)),
        cursor: `${instanceId}.${last}`,
        more,
      };
    });

    // The cross-hall profile a counter sees when it looks an applicant up by the hash of a verified ID.
    scoped.get('/sync/v1/applicants/:idHash', async (req, reply) => {
      const idHash = z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .safeParse((req.params as { idHash: string }).idHash);
      if (!idHash.success) return invalidInput(reply, idHash.error);
      if (!LOOKUP_ROLES.has(req.device!.role)) return reply.code(403).send({ error: 'FORBIDDEN' });
      const profile = await profileStore.lookup(db, idHash.data);
      if (!profile) return reply.code(404).send({ error: 'NOT_FOUND' });
      req.log.info({ deviceId: req.device!.id, profileId: profile.id }, 'profile lookup');
      return profile;
    });
  });
}
