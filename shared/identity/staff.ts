import { z } from 'zod';
import { singleLine } from '../validation/text';

/**
 * Roles a person holds (DOMAIN.md, "People and roles"). The first four act in a hall; the last three
 * only at central. A window or device role (kiosk, counter…) is where a call comes from; a staff role is
 * who is allowed to make it.
 */
export const HALL_STAFF_ROLES = ['clerk', 'hall_admin', 'supervisor', 'leader'] as const;
export const CENTRAL_STAFF_ROLES = ['department_handler', 'leader_office', 'central_admin'] as const;
export const STAFF_ROLES = [...HALL_STAFF_ROLES, ...CENTRAL_STAFF_ROLES] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type HallStaffRole = (typeof HALL_STAFF_ROLES)[number];
export const staffRoleSchema = z.enum(STAFF_ROLES);

/**
 * Roles a hall administrator may grant on the hall's own hub, offline. Hall administrators and leaders
 * are appointed at central only: nobody can raise their own privileges in the hall.
 */
export const HALL_GRANTABLE_ROLES = ['clerk', 'supervisor'] as const satisfies readonly HallStaffRole[];

/** A person's sign-in name (工号 or a short login): lower-case, stable, unique across the deployment. */
export const staffLoginSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, { message: 'must be 2–32 letters, digits, dots, dashes or underscores' });

export const staffIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'is not a staff id' });

/** The counter PIN: quick, but at least six digits (a 4-digit PIN falls to 10,000 guesses). */
export const pinSchema = z.string().regex(/^\d{6,8}$/, { message: 'must be 6–8 digits' });

/**
 * A password of a person who signs in with one (hall administrators, supervisors, central staff):
 * 等保 2.0 level 3 asks for complexity; at least 10 characters with a letter and a digit.
 */
export const passwordSchema = z
  .string()
  .min(10, { message: 'must be at least 10 characters' })
  .max(128)
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), { message: 'must hold a letter and a digit' });

/** A 6-digit TOTP code as an authenticator app shows it. */
export const totpCodeSchema = z.string().regex(/^\d{6}$/, { message: 'must be 6 digits' });

export const staffNameSchema = singleLine(40);

/** A person as a page may see them: never a credential. */
export const staffSchema = z.object({
  id: staffIdSchema,
  login: z.string(),
  name: z.string(),
  roles: z.array(staffRoleSchema),
  enabled: z.boolean(),
  hasPin: z.boolean(),
  hasPassword: z.boolean(),
  hasTotp: z.boolean(),
  /** Where the account was last written: central (authoritative) or this hall's hub (not yet synced). */
  source: z.enum(['central', 'hall']),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type Staff = z.infer<typeof staffSchema>;

/** The person a session acts as: what every handler and every audit row knows of who is acting. */
export const personSchema = z.object({
  staffId: staffIdSchema,
  login: z.string(),
  name: z.string(),
  roles: z.array(staffRoleSchema),
  /**
   * How they proved it: the counter PIN, a password with TOTP, the leader pane's own sign-in, or (on the
   * hub) a hall device that checked them and forwards their call.
   */
  via: z.enum(['pin', 'password', 'leader', 'device']),
  /** The counter a clerk signed in at (PIN sign-in only). */
  counterId: z.string().nullable(),
  signedInAt: z.iso.datetime({ offset: true }),
});
export type Person = z.infer<typeof personSchema>;
