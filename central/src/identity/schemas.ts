import { z } from 'zod';
import { passwordSchema, pinSchema, staffIdSchema, staffLoginSchema, staffNameSchema } from '@shared/identity/staff';

export const staffParams = z.object({ id: staffIdSchema }).strict();
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
