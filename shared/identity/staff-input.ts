import { z } from 'zod';
import {
  CENTRAL_STAFF_ROLES,
  passwordSchema,
  pinSchema,
  staffIdSchema,
  staffLoginSchema,
  staffNameSchema,
  staffRoleSchema,
} from './staff';

/*
 * What an administrator sends to create or change a staff account: the admin API's bodies and the console's
 * forms, checked with the same schemas on both sides.
 */

const CENTRAL_ROLES: ReadonlySet<string> = new Set(CENTRAL_STAFF_ROLES);

type RolesAndHalls = { roles: string[]; hallIds: string[] };
/** A central role works across halls; a hall role needs the halls it works in. One person is one or the other. */
export const rolesFitHalls = (s: RolesAndHalls) =>
  s.roles.every((r) => CENTRAL_ROLES.has(r))
    ? s.hallIds.length === 0
    : s.roles.every((r) => !CENTRAL_ROLES.has(r)) && s.hallIds.length > 0;
const listedOnce = (s: RolesAndHalls) =>
  new Set(s.roles).size === s.roles.length && new Set(s.hallIds).size === s.hallIds.length;

/** A catalog department id (`catalog.department` rows): the departments whose cases a handler works. */
export const departmentIdsSchema = z
  .array(z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'is not a department id' }))
  .max(50)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'departments are listed once each' });
/**
 * A department handler works the cases of at least one department; nobody else has departments (they
 * would widen what the console shows them).
 */
export const departmentsFitRoles = (s: { roles: string[]; departmentIds: string[] }) =>
  s.roles.includes('department_handler') === s.departmentIds.length > 0;
export const DEPARTMENTS_MESSAGE = 'a department handler needs at least one department; other roles have none';
export const ROLES_HALLS_MESSAGE = 'central roles have no halls; hall roles need at least one hall and no central role';

export const staffCreateSchema = z
  .object({
    id: staffIdSchema.optional(),
    login: staffLoginSchema,
    name: staffNameSchema,
    roles: z.array(staffRoleSchema).min(1).max(7),
    hallIds: z.array(z.uuid()).max(50),
    departmentIds: departmentIdsSchema.default([]),
    pin: pinSchema.optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .refine(listedOnce, { message: 'roles and halls are listed once each', path: ['roles'] })
  // Beside the halls field of a form: the halls are what a person changes to make the two fit.
  .refine(rolesFitHalls, { message: ROLES_HALLS_MESSAGE, path: ['hallIds'] })
  .refine(departmentsFitRoles, { message: DEPARTMENTS_MESSAGE, path: ['departmentIds'] });
export type StaffCreateInput = z.input<typeof staffCreateSchema>;

export const staffUpdateSchema = z
  .object({
    name: staffNameSchema.optional(),
    roles: z.array(staffRoleSchema).min(1).max(7).optional(),
    hallIds: z.array(z.uuid()).max(50).optional(),
    departmentIds: departmentIdsSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .strict();
export type StaffUpdateInput = z.input<typeof staffUpdateSchema>;

export const pinResetSchema = z.object({ pin: pinSchema }).strict();
export const passwordResetSchema = z.object({ password: passwordSchema }).strict();
