import { z } from 'zod';
import {
  CENTRAL_STAFF_ROLES,
  passwordSchema,
  pinSchema,
  staffIdSchema,
  staffLoginSchema,
  staffNameSchema,
  staffRoleSchema,
} from '@shared/identity/staff';

const CENTRAL_ROLES: ReadonlySet<string> = new Set(CENTRAL_STAFF_ROLES);

type RolesAndHalls = { roles: string[]; hallIds: string[] };
/** A central role works across halls; a hall role needs the halls it works in. One person is one or the other. */
export const rolesFitHalls = (s: RolesAndHalls) =>
  s.roles.every((r) => CENTRAL_ROLES.has(r))
    ? s.hallIds.length === 0
    : s.roles.every((r) => !CENTRAL_ROLES.has(r)) && s.hallIds.length > 0;
const listedOnce = (s: RolesAndHalls) =>
  new Set(s.roles).size === s.roles.length && new Set(s.hallIds).size === s.hallIds.length;

export const staffCreateSchema = z
  .object({
    id: staffIdSchema.optional(),
    login: staffLoginSchema,
    name: staffNameSchema,
    roles: z.array(staffRoleSchema).min(1).max(7),
    hallIds: z.array(z.uuid()).max(50),
    pin: pinSchema.optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .refine(listedOnce, { message: 'roles and halls are listed once each' })
  .refine(rolesFitHalls, {
    message: 'central roles have no halls; hall roles need at least one hall and no central role',
  });
export const staffUpdateSchema = z
  .object({
    name: staffNameSchema.optional(),
    roles: z.array(staffRoleSchema).min(1).max(7).optional(),
    hallIds: z.array(z.uuid()).max(50).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();
export const staffParams = z.object({ id: staffIdSchema }).strict();
export const pinResetSchema = z.object({ pin: pinSchema }).strict();
export const passwordResetSchema = z.object({ password: passwordSchema }).strict();
export const staffListQuery = z.object({ hallId: z.uuid().optional() }).strict();
export const auditQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    actor: z.string().min(1).max(64).optional(),
    hallId: z.uuid().optional(),
  })
  .strict();
export const setupSchema = z
  .object({ login: staffLoginSchema, code: z.string().min(8).max(64), password: passwordSchema })
  .strict();
export const exchangeSchema = z
  .object({ login: staffLoginSchema, name: staffNameSchema, password: passwordSchema })
  .strict();
/** The relayed `PUT /admin/v1/halls/:id/clerks/:clerkId` of devices from before staff accounts. */
export const clerkPutSchema = z.object({ name: staffNameSchema, pin: pinSchema }).strict();
export const clerkParams = z.object({ id: z.uuid(), clerkId: staffIdSchema }).strict();
