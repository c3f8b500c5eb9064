import { z } from 'zod';
import { refKindSchema } from '../../sync/reference';
import { deviceRoleSchema } from '../../sync/wire';
import { defineMethod } from '../define';

/**
 * The minimal central administration page: the core relays these to central's admin API. The admin
 * token travels with each call and is never stored on the device.
 */
const access = {
  centralUrl: z.url().refine((u) => /^https?:\/\//.test(u), { message: 'must be http(s)' }),
  adminToken: z.string().min(16).max(200),
};

export const centralHallSchema = z.object({ id: z.string(), code: z.string(), name: z.string() });
export type CentralHall = z.infer<typeof centralHallSchema>;

export const centralAdminMethods = {
  'central.admin.halls': defineMethod({
    description: 'The halls central knows.',
    input: z.object(access).strict(),
    output: z.array(centralHallSchema),
  }),
  'central.admin.createHall': defineMethod({
    description: 'Create a hall at central.',
    input: z
      .object({
        ...access,
        code: z.string().regex(/^[A-Z0-9]{2,12}$/),
        name: z.string().trim().min(1).max(60),
      })
      .strict(),
    output: centralHallSchema,
  }),
  'central.admin.enrollmentCode': defineMethod({
    description: 'A one-time enrollment code for a device of a hall (and, for the leader pane, of a leader).',
    input: z
      .object({
        ...access,
        hallId: z.uuid(),
        role: deviceRoleSchema,
        leaderId: z.uuid().nullable(),
      })
      .strict(),
    output: z.object({ code: z.string(), expiresAt: z.string() }),
  }),
  'central.admin.putRef': defineMethod({
    description: 'Create or replace a reference row (catalog matter, holiday, clerk, leader content…) at central.',
    input: z
      .object({
        ...access,
        kind: refKindSchema,
        id: z.string().trim().min(1).max(120),
        hallId: z.uuid().nullable(),
        leaderId: z.uuid().nullable(),
        data: z.unknown(),
      })
      .strict(),
    output: z.object({ kind: z.string(), id: z.string(), version: z.number().int() }),
  }),
  'central.admin.putClerk': defineMethod({
    description: 'Create or replace a clerk of a hall at central, with a six-digit PIN (central keeps only its hash).',
    input: z
      .object({
        ...access,
        hallId: z.uuid(),
        clerkId: z.string().trim().min(1).max(40),
        name: z.string().trim().min(1).max(40),
        pin: z.string().regex(/^\d{6}$/),
      })
      .strict(),
    output: z.object({ kind: z.string(), id: z.string(), version: z.number().int() }),
  }),
};
