import { z } from 'zod';
import { HALL_GRANTABLE_ROLES, staffIdSchema, staffLoginSchema, staffNameSchema } from '../../identity/staff';
import type { DeviceRole } from '../wire';

const instant = z.iso.datetime({ offset: true });
/** A stored credential hash (`scrypt$…`): verified where it is used, never recomputed from a secret in transit. */
const credentialHash = z.string().min(1).max(300);

/**
 * A clerk or supervisor a hall administrator created or changed on the hall's hub, offline. Only roles
 * a hall may grant travel this way; central refuses anything else and stays the authority on accounts.
 */
export const staffUpsertArgs = z
  .object({
    staffId: staffIdSchema,
    login: staffLoginSchema,
    name: staffNameSchema,
    roles: z.array(z.enum(HALL_GRANTABLE_ROLES)).min(1),
    enabled: z.boolean(),
    /** Absent: unchanged. A new PIN travels as its hash only. */
    pinHash: credentialHash.optional(),
    passwordHash: credentialHash.optional(),
    /** Issued with a new password: the hub verifies codes offline, so central keeps and sends it back down. */
    totpSecret: z
      .string()
      .regex(/^[A-Z2-7]{16,64}$/)
      .optional(),
    at: instant,
  })
  .strict();

/** What an audit row says happened (sign-ins, failures, lockouts, role and PIN changes, admin writes). */
export const AUDIT_ACTIONS = [
  'sign_in',
  'sign_in_failed',
  'locked_out',
  'sign_out',
  'session_ended',
  'staff_changed',
  'pin_reset',
  'role_changed',
  'admin_write',
  'rating_screen_paired',
] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS);

/** One row of a hall device's append-only audit log, as central keeps it. */
export const auditRecordArgs = z
  .object({
    auditId: z.uuid(),
    /** Position in the device's hash chain and the chain hash, so central can verify nothing was cut out. */
    seq: z.number().int().min(1),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    prevHash: z.string().regex(/^[0-9a-f]{64}$/),
    at: instant,
    action: auditActionSchema,
    /** The person acting (null: a device acting alone, or a sign-in that failed before anyone was known). */
    actorStaffId: staffIdSchema.nullable(),
    actorLogin: z.string().max(64).nullable(),
    /** The window, session or device the act came from. */
    origin: z.string().max(120),
    /** What was acted on: a method, a staff id, a counter. */
    target: z.string().max(120).nullable(),
    outcome: z.enum(['ok', 'refused']),
    detail: z.record(z.string(), z.unknown()),
  })
  .strict();

export const IDENTITY_MUTATIONS = {
  'staff.upsert@1': staffUpsertArgs,
  'audit.record@1': auditRecordArgs,
} as const;
export type IdentityMutationName = keyof typeof IDENTITY_MUTATIONS;
export type IdentityMutationArgs<N extends IdentityMutationName> = z.infer<(typeof IDENTITY_MUTATIONS)[N]>;

export const IDENTITY_MUTATION_ROLES: Record<IdentityMutationName, readonly DeviceRole[]> = {
  // Clerks are created where the hall's accounts live offline: its hub (or an admin PC that is its own hub).
  'staff.upsert@1': ['hub', 'admin'],
  'audit.record@1': ['hub', 'admin', 'counter', 'kiosk', 'display', 'leader'],
};
