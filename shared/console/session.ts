import { z } from 'zod';
import { staffRoleSchema } from '../identity/staff';

/**
 * The console's own API lives under this prefix (the SPA itself is served at `/console/`). Every route
 * but the sign-in needs `Authorization: Bearer <session token>` from `POST {CONSOLE_API}/session`.
 */
export const CONSOLE_API = '/api/console/v1';

/** A session ends after this long without a request (central) and the console signs out after as long idle. */
export const SESSION_IDLE_SECONDS = 30 * 60;

/** Who is signed in at the console, and what they may see: halls for hall roles, departments for handlers. */
export const consolePersonSchema = z.object({
  staffId: z.string(),
  login: z.string(),
  name: z.string(),
  roles: z.array(staffRoleSchema),
  hallIds: z.array(z.string()),
  departmentIds: z.array(z.string()),
});
export type ConsolePerson = z.infer<typeof consolePersonSchema>;

/** `POST /session` answers this; the body is `centralSignInSchema` (login, password, TOTP code). */
export const consoleSessionSchema = z.object({
  token: z.string(),
  person: consolePersonSchema,
  expiresAt: z.string(),
});
export type ConsoleSession = z.infer<typeof consoleSessionSchema>;

/**
 * Every refusal of the console API: `code` is stable (the console maps it to a message); `fields` names
 * each invalid input field with its message, for the form to show beside the field.
 */
export const consoleErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  fields: z.record(z.string(), z.string()).optional(),
  /** ACCOUNT_LOCKED: how long until the next try, for the sign-in page to say. */
  retryAfterSeconds: z.number().int().optional(),
});
export type ConsoleError = z.infer<typeof consoleErrorSchema>;

/** The names a console shows in its filters: the halls and departments this person may see. */
export const consoleDirectorySchema = z.object({
  halls: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
  departments: z.array(z.object({ id: z.string(), nameZh: z.string() })),
});
export type ConsoleDirectory = z.infer<typeof consoleDirectorySchema>;

/** Page query shared by the lists. */
export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
