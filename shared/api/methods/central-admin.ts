import { z } from 'zod';
import { staffIdSchema, staffLoginSchema, staffRoleSchema, totpCodeSchema } from '../../identity/staff';
import { refKindSchema } from '../../sync/reference';
import { deviceRoleSchema } from '../../sync/wire';
import { defineMethod } from '../define';

const centralUrl = z.url().refine((u) => /^https?:\/\//.test(u), { message: 'must be http(s)' });

/**
 * The minimal central administration page: the core relays these to central's admin API. The person
 * signs in at central (`central.admin.signIn`); the session token central returns travels with each
 * call and is never stored on the device.
 */
const access = {
  centralUrl,
  sessionToken: z.string().min(32).max(200),
};

/** `POST /admin/v1/session` at central: a person's sign-in (password and authenticator code). */
export const centralSignInSchema = z
  .object({
    login: staffLoginSchema,
    password: z.string().min(1).max(128),
    totp: totpCodeSchema.optional(),
  })
  .strict();

/** Who central signed in (an administrator of every hall, or of the halls listed). */
export const centralPersonSchema = z.object({
  staffId: z.string(),
  login: z.string(),
  name: z.string(),
  roles: z.array(staffRoleSchema),
  hallIds: z.array(z.string()),
});
export const centralSessionSchema = z.object({
  token: z.string().min(32),
  expiresAt: z.iso.datetime({ offset: true }),
  person: centralPersonSchema,
});
export type CentralSession = z.infer<typeof centralSessionSchema>;

export const centralHallSchema = z.object({ id: z.string(), code: z.string(), name: z.string() });
export type CentralHall = z.infer<typeof centralHallSchema>;

export const centralAdminMethods = {
  'central.admin.signIn': defineMethod({
    description: "Sign in at central's admin API as a person; the session token is kept by the page only.",
    input: z
      .object({ centralUrl, login: staffLoginSchema, password: z.string().min(1).max(128), totp: totpCodeSchema })
      .strict(),
    output: centralSessionSchema,
  }),
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
    description:
      'Create or replace a clerk (a staff account) of a hall at central, with a six-digit PIN (central keeps only its hash).',
    input: z
      .object({
        ...access,
        hallId: z.uuid(),
        clerkId: staffIdSchema,
        name: z.string().trim().min(1).max(40),
        pin: z.string().regex(/^\d{6}$/),
      })
      .strict(),
    output: z.object({ kind: z.string(), id: z.string(), version: z.number().int() }),
  }),
};
