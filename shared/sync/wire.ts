import { z } from 'zod';
import { staffIdSchema } from '../identity/staff';
import { httpsUrl } from '../validation/text';
import { AUDIT_CHAINS, auditAlarmSchema, auditHeadSchema } from '../audit/keyed-chain';
import { securityZoneSchema } from './zones';

/** Every sync request carries the sender's sync schema version; central answers 426 outside its range. */
export const SYNC_SCHEMA_HEADER = 'x-onewindow-sync-schema';

/** The most mutations one push may carry, and the most reference rows one pull page returns. */
export const MAX_PUSH_BATCH = 500;
export const MAX_PULL_PAGE = 1000;
/** JSON bytes of mutations a device puts in one push: room under central's 4 MiB body limit. */
export const MAX_PUSH_BYTES = 3 * 1024 * 1024;
/** Stored row data a pull page holds past its first row: a leader file (up to 27 MiB) comes alone. */
export const MAX_PULL_PAGE_BYTES = 8 * 1024 * 1024;

const uuid = z.uuid();
const isoTime = z.iso.datetime({ offset: true });

export const enrollRequestSchema = z
  .object({
    code: z.string().regex(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/),
    deviceName: z.string().min(1).max(60),
    /**
     * The token of this device's enrolment before, when it enrols again: its replicas (what it wrote and has
     * yet to deliver) move to the new enrolment, which alone may push them, and the old token dies.
     */
    previousToken: z.string().min(32).max(200).optional(),
    /**
     * The device hashes applicants' IDs under the public demo `idHashKey`: only a demo central takes it
     * (a production one answers 409 DEMO_ID_HASH_KEY and the code stays unspent).
     */
    demoIdHashKey: z.literal(true).optional(),
  })
  .strict();
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;

export const deviceRoleSchema = z.enum(['kiosk', 'counter', 'display', 'leader', 'admin', 'hub']);
export type DeviceRole = z.infer<typeof deviceRoleSchema>;

export const enrollResponseSchema = z.object({
  deviceId: uuid,
  hall: z.object({ id: uuid, code: z.string(), name: z.string() }),
  role: deviceRoleSchema,
  leaderId: z.string().nullable(),
  token: z.string().min(32),
  /**
   * Central's public tracking page (`<CENTRAL_PUBLIC_URL>/track`): the hall profile's tracking URL when the
   * hall names none. Null (or absent, from a central before it) when central's public address is not set.
   */
  trackingUrl: httpsUrl.nullable().default(null),
  /** The security zone central put the device in (absent from a central before zones: the role's zone). */
  zone: securityZoneSchema.optional(),
  /**
   * Central's X25519 public key (raw 32 bytes, base64) for what leader devices seal for it: a leader's 批示
   * never waits in a device's outbox in clear. Null (or absent, from a central before it): none.
   */
  leaderSealKey: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/)
    .nullable()
    .default(null),
  /** Central runs as a demo (CENTRAL_DEMO=1): devices on the demo `idHashKey` may enrol with it. */
  demo: z.boolean().default(false),
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

export const pushedMutationSchema = z
  .object({
    replicaId: uuid,
    seq: z.number().int().min(1),
    mutationId: uuid,
    name: z.string().min(1).max(80),
    version: z.number().int().min(1),
    args: z.unknown(),
    entityId: z.string().max(80).nullable(),
    schemaVersion: z.number().int().min(1),
    deviceTime: isoTime,
    /** The person whose act this row records (absent from devices older than staff accounts; null: the device). */
    actorStaffId: staffIdSchema.nullable().optional(),
  })
  .strict();
export type PushedMutation = z.infer<typeof pushedMutationSchema>;

/** A push batch: one replica, consecutive seqs, oldest first. */
export const pushRequestSchema = z
  .object({
    mutations: z.array(pushedMutationSchema).min(1).max(MAX_PUSH_BATCH),
    /** The device's audit chain heads for central to anchor (absent from devices before keyed audit). */
    auditHeads: z.array(auditHeadSchema).max(AUDIT_CHAINS.length).optional(),
  })
  .strict()
  .refine(
    (b) => b.mutations.every((m, i) => m.replicaId === b.mutations[0]!.replicaId && m.seq === b.mutations[0]!.seq + i),
    { message: 'a batch holds one replica with consecutive seqs' },
  );
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const mutationOutcomeSchema = z.object({
  mutationId: uuid,
  seq: z.number().int(),
  status: z.enum(['applied', 'rejected']),
  result: z.unknown(),
});
export type MutationOutcome = z.infer<typeof mutationOutcomeSchema>;

export const pushResponseSchema = z.object({
  lastSeq: z.number().int(),
  outcomes: z.array(mutationOutcomeSchema),
  /** A pushed head that does not extend the one central anchored before (absent: none, or an older central). */
  auditAlarms: z.array(auditAlarmSchema).optional(),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

/** 409: the batch does not start right after what central holds for the replica. */
export const pushGapSchema = z.object({ error: z.literal('SEQ_GAP'), lastSeq: z.number().int() });

/** The most replicas one `POST /sync/v1/replicas` asks about. */
export const MAX_REPLICA_QUERY = 1000;

/**
 * What central holds of the device's replicas: a device whose acknowledged rows central no longer has
 * (a restore) sends them again from here.
 */
export const replicaQuerySchema = z.object({ replicaIds: z.array(uuid).min(1).max(MAX_REPLICA_QUERY) }).strict();
export type ReplicaQuery = z.infer<typeof replicaQuerySchema>;
/** Each asked replica of the device's hall, 0 for one central does not know; another hall's is left out. */
export const replicaStatusSchema = z.object({
  replicas: z.array(z.object({ replicaId: uuid, lastSeq: z.number().int().min(0) })),
});
export type ReplicaStatus = z.infer<typeof replicaStatusSchema>;

export const refRowSchema = z.object({
  kind: z.string(),
  id: z.string(),
  version: z.number().int(),
  deleted: z.boolean(),
  data: z.unknown(),
});
export type RefRow = z.infer<typeof refRowSchema>;

export const pullResponseSchema = z.object({
  /** Drop every pulled reference row before applying this page: central's history restarted. */
  reset: z.boolean(),
  rows: z.array(refRowSchema),
  cursor: z.string(),
  more: z.boolean(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

/** 426 body: the range of sync schema versions central accepts. */
export const schemaMismatchSchema = z.object({
  error: z.literal('SCHEMA_MISMATCH'),
  accepted: z.object({ min: z.number().int(), max: z.number().int() }),
});

/** The cross-hall applicant record central returns on lookup (history newest first). */
export const applicantProfileSchema = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  /** The latest details any hall wrote (absent from a central that does not keep them). */
  applicant: z
    .object({
      kind: z.enum(['person', 'organisation']),
      name: z.string(),
      idType: z.string(),
      idMasked: z.string(),
      phone: z.string(),
      segment: z.string(),
      orgType: z.string().nullable(),
      contactName: z.string().nullable(),
      updatedAt: z.string(),
    })
    .nullable()
    .optional(),
  history: z.array(
    z.object({
      hallId: z.string(),
      hallCode: z.string().optional(),
      hallName: z.string().optional(),
      /** The device that recorded it, so a device can leave out its own records. */
      deviceId: z.string().nullable().optional(),
      what: z.string(),
      entityId: z.string().nullable(),
      at: z.string(),
      /** What the line shows: case number and current state, rating level, feedback number… */
      summary: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});
export type ApplicantProfile = z.infer<typeof applicantProfileSchema>;
