import { z } from 'zod';
import { roleSchema } from '../role-schema';
import { defineMethod } from '../define';

export const systemInfoSchema = z.object({
  product: z.literal('OneWindow'),
  appVersion: z.string(),
  role: roleSchema,
  hall: z.object({ code: z.string(), name: z.string() }),
  deviceCode: z.string(),
  schemaVersion: z.number().int().nonnegative(),
  serverTime: z.string(),
  /** The hall's IANA time zone (queue settings): every time on screen and paper is its wall clock. */
  timeZone: z.string(),
  transport: z.enum(['ipc', 'http', 'ws']),
});
export type SystemInfo = z.infer<typeof systemInfoSchema>;

export const systemMethods = {
  'system.info': defineMethod({
    description: 'Who and where this device is: product, version, hall, role and database schema.',
    input: z.object({}).strict(),
    output: systemInfoSchema,
  }),
};
