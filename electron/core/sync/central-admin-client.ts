import { z } from 'zod';
import { AppError } from '@shared/api';

const versionSchema = z.object({ kind: z.string(), id: z.string(), version: z.number().int() });
const hallSchema = z.object({ id: z.string(), code: z.string(), name: z.string() });

/**
 * Relays the admin page's calls to central's admin API (`/admin/v1/*`) with the token the operator
 * typed; central's refusals become typed errors with `details.reason`.
 */
export function createCentralAdminClient(opts: { centralUrl: string; adminToken: string; fetch?: typeof fetch }) {
  const doFetch = opts.fetch ?? fetch;
  const base = opts.centralUrl.replace(/\/+$/, '');

  async function call<T>(method: string, path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${opts.adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (e) {
      throw new AppError('UNAVAILABLE', `central unreachable: ${(e as Error).message}`, { reason: 'NETWORK' });
    }
    const json: unknown = await res.json().catch(() => null);
    if (res.status === 401)
      throw new AppError('UNAUTHENTICATED', 'central refused the admin token', { reason: 'CENTRAL_ADMIN_TOKEN' });
    if (res.status === 400) {
      const issues = (json as { issues?: unknown } | null)?.issues ?? [];
      throw new AppError('INVALID_INPUT', 'central refused the input', { reason: 'CENTRAL_INVALID', issues });
    }
    if (res.status === 404)
      throw new AppError('NOT_FOUND', 'central does not know it', { reason: 'CENTRAL_NOT_FOUND' });
    if (res.status === 409) {
      throw new AppError('CONFLICT', 'central refused: it exists already', { reason: 'CENTRAL_CONFLICT' });
    }
    if (res.status >= 300)
      throw new AppError('UNAVAILABLE', `central answered ${res.status}`, { reason: 'CENTRAL_ERROR' });
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new AppError('UNAVAILABLE', 'central answered something unexpected', { reason: 'BAD_RESPONSE' });
    return parsed.data;
  }

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
  };
}
