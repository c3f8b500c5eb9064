import { z } from 'zod';
import {
  HALL_GRANTABLE_ROLES,
  passwordSchema,
  personSchema,
  pinSchema,
  staffIdSchema,
  staffLoginSchema,
  staffNameSchema,
  staffSchema,
  totpCodeSchema,
} from '../../identity/staff';
import { AUDIT_ACTIONS } from '../../sync/mutations/identity';
import { defineMethod } from '../define';

/** Who this session is: the signed-in person (if any) and what the device it runs on is bound to. */
export const identitySessionSchema = z.object({
  person: personSchema.nullable(),
  /** The session locks itself after this long without a call (null: never, e.g. a device session). */
  idleLockSeconds: z.number().int().nullable(),
  /** Counters this device may open (null: not bound, any counter of the hall). */
  boundCounterIds: z.array(z.string()).nullable(),
  /** A rating screen's paired counter. */
  pairedCounterId: z.string().nullable(),
  /**
   * `enrol_first`: a new device with no hall administrator yet: the admin page enrols it with central's
   * one-time code, and the hall's accounts (its administrator among them) arrive with the first pull.
   */
  setup: z.enum(['ready', 'enrol_first']),
});
export type IdentitySession = z.infer<typeof identitySessionSchema>;

export const auditEntrySchema = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  at: z.iso.datetime({ offset: true }),
  action: z.enum(AUDIT_ACTIONS),
  actorStaffId: z.string().nullable(),
  actorLogin: z.string().nullable(),
  origin: z.string(),
  target: z.string().nullable(),
  outcome: z.enum(['ok', 'refused']),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Shown once when a password user gets a new TOTP secret: the page draws the URI as a QR code. */
/** The staff audit chain's check: rows before `keyedFromSeq` were written before the device had an audit key. */
export const auditVerifyResultSchema = z.object({
  ok: z.boolean(),
  rows: z.number().int(),
  brokenAtSeq: z.number().int().nullable(),
  keyedFromSeq: z.number().int().nullable(),
  unkeyedRows: z.number().int(),
  reason: z.string().nullable(),
});
export type AuditVerifyResult = z.infer<typeof auditVerifyResultSchema>;

export const totpEnrolmentSchema = z.object({ secret: z.string(), otpauthUri: z.string() });

export const staffUpsertInputSchema = z
  .object({
    mutationId: z.uuid(),
    /** Absent: a new account. */
    id: staffIdSchema.optional(),
    login: staffLoginSchema,
    name: staffNameSchema,
    roles: z.array(z.enum(HALL_GRANTABLE_ROLES)).min(1).max(HALL_GRANTABLE_ROLES.length),
    enabled: z.boolean(),
    /** A new PIN (clerks); absent: unchanged. */
    pin: pinSchema.optional(),
    /** A new password (supervisors); absent: unchanged. Setting one issues a new TOTP secret. */
    password: passwordSchema.optional(),
  })
  .strict();

export const identityMethods = {
  'identity.session': defineMethod({
    description: 'Who is signed in on this session, its idle lock and what this device is bound to.',
    input: z.object({}).strict(),
    output: identitySessionSchema,
  }),
  'identity.signIn': defineMethod({
    description: 'A hall administrator or supervisor signs in with password and TOTP code (admin page).',
    input: z.object({ login: staffLoginSchema, password: z.string().min(1).max(128), totp: totpCodeSchema }).strict(),
    output: identitySessionSchema,
  }),
  'identity.signOut': defineMethod({
    description: 'Ends the person’s session on this page (a counter must be closed with queue.counter.signOut).',
    input: z.object({}).strict(),
    output: identitySessionSchema,
  }),
  'staff.list': defineMethod({
    description: 'The hall’s staff accounts (no credentials).',
    input: z.object({}).strict(),
    output: z.array(staffSchema),
  }),
  'staff.upsert': defineMethod({
    description: 'Create or change a clerk or supervisor of this hall, offline on the hub; synced to central.',
    input: staffUpsertInputSchema,
    output: z.object({ staff: staffSchema, totp: totpEnrolmentSchema.nullable() }),
  }),
  'audit.list': defineMethod({
    description: 'This device’s audit log, newest first.',
    input: z
      .object({ limit: z.number().int().min(1).max(500).default(100), beforeSeq: z.number().int().optional() })
      .strict(),
    output: z.array(auditEntrySchema),
  }),
  'audit.verify': defineMethod({
    description: 'Recomputes this device’s keyed audit chain: ok, or the first row that breaks it.',
    input: z.object({}).strict(),
    output: auditVerifyResultSchema,
  }),
};
