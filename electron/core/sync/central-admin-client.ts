import { z } from 'zod';
import { AppError } from '@shared/api';
import { centralSessionSchema, type CentralSession } from '@shared/api/methods/central-admin';
import { centralFetch, CentralLinkError } from './central-link';

const versionSchema = z.object({ kind: z.string(), id: z.string(), version: z.number().int() });
const hallSchema = z.object({ id: z.string(), code: z.string(), name: z.string() });
const refusalSchema = z.object({ code: z.string().optional(), error: z.string().optional() }).passthrough();

type Call = <T>(method: string, path: string, body: unknown, schema: z.ZodType<T>) => Promise<T>;

/**
 * One request to central's admin API; central's refusals become typed errors whose `details.reason`
 * is central's own code (INVALID_CREDENTIALS, TOTP_INVALID, ACCOUNT_LOCKED, SESSION_EXPIRED, FORBIDDEN…).
 */
function caller(opts: { centralUrl: string; sessionToken?: string; pin?: string | null; fetch?: typeof fetch }): Call {
  // A password, a TOTP and a session token go this way: the same refusals as sync (central-link.ts).
  const doFetch = centralFetch(opts.pin ?? null, opts.fetch);
  const base = opts.centralUrl.replace(/\/+$/, '');
  return async <T>(method: string, path: string, body: unknown, schema: z.ZodType<T>): Promise<T> => {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers: {
          ...(opts.sessionToken ? { authorization: `Bearer ${opts.sessionToken}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (e) {
      if (e instanceof CentralLinkError) {
        const refusal = e.code === 'CENTRAL_PIN_MISMATCH' ? 'FORBIDDEN' : 'INVALID_INPUT';
        throw new AppError(refusal, e.message, { reason: e.code });
      }
      throw new AppError('UNAVAILABLE', `central unreachable: ${(e as Error).message}`, { reason: 'NETWORK' });
    }
    const json: unknown = await res.json().catch(() => null);
    const refusal = refusalSchema.safeParse(json);
    const code = refusal.success ? (refusal.data.code ?? refusal.data.error) : undefined;
    if (res.status === 401) {
      throw new AppError('UNAUTHENTICATED', 'central refused the sign-in or session', {
        reason: code ?? 'UNAUTHENTICATED',
      });
    }
    if (res.status === 403)
      throw new AppError('FORBIDDEN', 'central refused: not allowed', { reason: code ?? 'FORBIDDEN' });
    if (res.status === 400) {
      const issues = (json as { issues?: unknown } | null)?.issues ?? [];
      throw new AppError('INVALID_INPUT', 'central refused the input', { reason: 'CENTRAL_INVALID', issues });
    }
    if (res.status === 404)
      throw new AppError('NOT_FOUND', 'central does not know it', { reason: 'CENTRAL_NOT_FOUND' });
    if (res.status === 409) {
      throw new AppError('CONFLICT', 'central refused: it exists already', { reason: code ?? 'CENTRAL_CONFLICT' });
    }
    if (res.status >= 300)
      throw new AppError('UNAVAILABLE', `central answered ${res.status}`, { reason: 'CENTRAL_ERROR' });
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new AppError('UNAVAILABLE', 'central answered something unexpected', { reason: 'BAD_RESPONSE' });
    return parsed.data;
  };
}

/** Signs a person in at central's admin API; the page keeps the session token for its next calls. */
export function centralAdminSignIn(
  input: { centralUrl: string; login: string; password: string; totp: string },
  fetchImpl?: typeof fetch,
  pin?: string | null,
): Promise<CentralSession> {
  const call = caller({ centralUrl: input.centralUrl, pin, fetch: fetchImpl });
  return call(
    'POST',
    '/admin/v1/session',
    { login: input.login, password: input.password, totp: input.totp },
    centralSessionSchema,
  );
}

/** Relays the admin page's calls to central's admin API (`/admin/v1/*`) under the person's session. */
export function createCentralAdminClient(opts: {
  centralUrl: string;
  sessionToken: string;
  pin?: string | null;
  fetch?: typeof fetch;
}) {
  const call = caller(opts);
  return {
    halls: () => call('GET', '/admin/v1/halls', undefined, z.array(hallSchema)),
    createHall: (h: { code: string; name: string }) => call('POST', '/admin/v1/halls', h, hallSchema),
    enrollmentCode: (hallId: string, c: { role: string; leaderId: string | null }) =>
      call(
        'POST',
        `/admin/v1/halls/${encodeURIComponent(hallId)}/enrollment-codes`,
        c,
        z.object({ code: z.string(), expiresAt: z.string() }),
      ),
    putRef: (r: { kind: string; id: string; hallId: string | null; leaderId: string | null; data: unknown }) =>
      call(
        'PUT',
        `/admin/v1/ref/${encodeURIComponent(r.kind)}/${encodeURIComponent(r.id)}`,
        { hallId: r.hallId, leaderId: r.leaderId, data: r.data },
        versionSchema,
      ),
    putClerk: (c: { hallId: string; clerkId: string; name: string; pin: string }) =>
      call(
        'PUT',
        `/admin/v1/halls/${encodeURIComponent(c.hallId)}/clerks/${encodeURIComponent(c.clerkId)}`,
        { name: c.name, pin: c.pin },
        versionSchema,
      ),
    signOut: () => call('DELETE', '/admin/v1/session', undefined, z.object({ signedOut: z.literal(true) })),
  };
}
