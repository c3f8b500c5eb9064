import { z } from 'zod';
import { timeZone } from '../api/methods/queue';
import { staffIdSchema, staffRoleSchema } from '../identity/staff';
import { deviceRoleSchema } from '../sync/wire';
import { securityZoneSchema } from '../sync/zones';
import { singleLine } from '../validation/text';

/*
 * The console's administration of halls, their devices and enrolment codes, and staff accounts (under
 * CONSOLE_API `/admin/…`), for central administrators (every hall) and hall administrators (their halls).
 * The staff bodies are the admin API's own (shared/identity/staff-input.ts).
 */

/** A hall's code: upper-case letters and digits; it starts every case number of the hall. */
export const hallCodeSchema = z
  .string()
  .regex(/^[A-Z0-9]{2,12}$/, { message: 'must be 2–12 capital letters or digits' });
export const hallNameSchema = singleLine(60);

export const adminHallSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  /** The hall's IANA zone: its devices' clock and the zone central counts the hall's days in. */
  timeZone: z.string(),
  /** Devices enrolled and not revoked. */
  devices: z.number().int().min(0),
  createdAt: z.iso.datetime({ offset: true }),
});
export type AdminHall = z.infer<typeof adminHallSchema>;

export const hallCreateInputSchema = z.object({ code: hallCodeSchema, name: hallNameSchema, timeZone }).strict();
export type HallCreateInput = z.input<typeof hallCreateInputSchema>;
export const hallUpdateInputSchema = z.object({ name: hallNameSchema, timeZone }).strict();
export type HallUpdateInput = z.input<typeof hallUpdateInputSchema>;

export const adminDeviceSchema = z.object({
  id: z.uuid(),
  hallId: z.uuid(),
  role: deviceRoleSchema,
  name: z.string(),
  /** A leader device: the leader (staff id) whose content it receives, and their name if the account exists. */
  leaderId: z.string().nullable(),
  leaderName: z.string().nullable(),
  /** Its security zone, set by central at enrolment (shared/sync/zones.ts). */
  zone: securityZoneSchema,
  enrolledAt: z.iso.datetime({ offset: true }),
  /** Its last request to central (to the minute); null before this was recorded. */
  lastSeenAt: z.iso.datetime({ offset: true }).nullable(),
  revokedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type AdminDevice = z.infer<typeof adminDeviceSchema>;

/** How long an enrolment code stays usable: a day unless said otherwise, a week at most. */
export const ENROLMENT_CODE_TTL_MINUTES = { default: 24 * 60, max: 7 * 24 * 60 } as const;
export const enrolmentCodeTtlSchema = z.number().int().min(1).max(ENROLMENT_CODE_TTL_MINUTES.max);

/** A code for one device of the hall; a leader device names the leader whose content it is to receive. */
export const enrolmentCodeInputSchema = z
  .object({
    role: deviceRoleSchema,
    leaderId: staffIdSchema.nullable().default(null),
    /** An override of the zone the role puts the device in (null: the role's); it can only take access away. */
    zone: securityZoneSchema.nullable().default(null),
    ttlMinutes: enrolmentCodeTtlSchema.default(ENROLMENT_CODE_TTL_MINUTES.default),
  })
  .strict()
  .refine((c) => c.role !== 'leader' || c.leaderId !== null, {
    message: 'a leader device names its leader',
    path: ['leaderId'],
  })
  .refine((c) => c.role === 'leader' || c.leaderId === null, {
    message: 'only a leader device names a leader',
    path: ['leaderId'],
  });
export type EnrolmentCodeInput = z.input<typeof enrolmentCodeInputSchema>;

/** The code, shown once: central keeps only its hash. */
export const enrolmentCodeSchema = z.object({
  code: z.string(),
  role: deviceRoleSchema,
  zone: securityZoneSchema,
  expiresAt: z.iso.datetime({ offset: true }),
  /** Central's TLS pin, entered on the device with the code; null: central serves plain HTTP (loopback). */
  centralPin: z.string().nullable(),
});
export type EnrolmentCode = z.infer<typeof enrolmentCodeSchema>;

/**
 * A leader a leader device may be enrolled for: an enabled account with role `leader` in the hall whose id
 * is a UUID, as the leader pane keys its account and central its leader content by that id (`leaderId`).
 */
export const hallLeaderSchema = z.object({ id: z.string(), login: z.string(), name: z.string() });
export type HallLeader = z.infer<typeof hallLeaderSchema>;

export const adminStaffSchema = z.object({
  id: z.string(),
  login: z.string(),
  name: z.string(),
  roles: z.array(staffRoleSchema),
  hallIds: z.array(z.string()),
  departmentIds: z.array(z.string()),
  enabled: z.boolean(),
  locked: z.boolean(),
  hasPin: z.boolean(),
  hasPassword: z.boolean(),
  hasTotp: z.boolean(),
  source: z.enum(['central', 'hall']),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type AdminStaff = z.infer<typeof adminStaffSchema>;

export const staffQuerySchema = z
  .object({
    hallId: z.uuid().optional(),
    role: staffRoleSchema.optional(),
    enabled: z.enum(['true', 'false']).optional(),
  })
  .strict();
export type StaffQuery = z.infer<typeof staffQuerySchema>;

/** A new authenticator, shown once: the secret to type and the link a QR code would carry. */
export const totpEnrolmentSchema = z.object({
  staff: adminStaffSchema,
  totpSecret: z.string(),
  otpauthUri: z.string(),
});
export type TotpEnrolment = z.infer<typeof totpEnrolmentSchema>;
