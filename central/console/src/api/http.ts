import type { z } from 'zod';
import { CONSOLE_API, consoleErrorSchema } from '@shared/console/session';
import { ConsoleApiError } from './console-api-error';

type Query = Record<string, string | number | boolean | undefined | null>;

interface ClientHooks {
  /** The session token to send, if any. */
  token(): string | null;
  /** Central no longer knows the session `token` (401 on anything but the sign-in itself). */
  unauthorized(error: ConsoleApiError, token: string | null): void;
  /** Every answered request touches the session's idle clock at central. */
  answered(): void;
}

let hooks: ClientHooks = { token: () => null, unauthorized: () => undefined, answered: () => undefined };

/** The session store plugs in here, so the client needs no store and no router. */
export function configureHttp(next: ClientHooks) {
  hooks = next;
}

function urlOf(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return `${CONSOLE_API}${path}${qs ? `?${qs}` : ''}`;
}

/**
 * One call to central's console API. The answer is validated with `schema` (the shared contract): an answer
 * that does not fit is a BAD_RESPONSE, never data the page trusts. A refusal becomes a ConsoleApiError with
 * the server's code and field messages.
 */
export async function http<S extends z.ZodType | null>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  schema: S,
  opts: { query?: Query; body?: unknown; signIn?: boolean; token?: string } = {},
): Promise<S extends z.ZodType ? z.infer<S> : void> {
  const token = opts.token ?? hooks.token();
  let res: Response;
  try {
    res = await fetch(urlOf(path, opts.query), {
      method,
      headers: {
        accept: 'application/json',
        ...(token && !opts.signIn ? { authorization: `Bearer ${token}` } : {}),
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch (e) {
    throw new ConsoleApiError(0, 'NETWORK', e instanceof Error ? e.message : String(e));
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const parsed = consoleErrorSchema.safeParse(json);
    const e = parsed.success
      ? new ConsoleApiError(
          res.status,
          parsed.data.code,
          parsed.data.message,
          parsed.data.fields ?? {},
          json,
          parsed.data.retryAfterSeconds ?? null,
        )
      : new ConsoleApiError(res.status, res.status === 429 ? 'RATE_LIMITED' : `HTTP_${res.status}`, text.slice(0, 200));
    if (res.status === 401 && !opts.signIn) hooks.unauthorized(e, token);
    throw e;
  }
  if (!opts.signIn) hooks.answered();
  if (schema === null) return undefined as never;
  const parsed = (schema as z.ZodType).safeParse(json);
  if (!parsed.success) {
    throw new ConsoleApiError(res.status, 'BAD_RESPONSE', `${method} ${path}: ${parsed.error.message}`);
  }
  return parsed.data as never;
}

/**
 * A file from central's console API (a case's scanned page), as a Blob, with the session's token: the
 * page never puts a token in a URL. A refusal is a ConsoleApiError, as in `http`.
 */
export async function httpBytes(path: string): Promise<Blob> {
  const token = hooks.token();
  let res: Response;
  try {
    res = await fetch(urlOf(path), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch (e) {
    throw new ConsoleApiError(0, 'NETWORK', e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) {
    const e = new ConsoleApiError(res.status, `HTTP_${res.status}`, (await res.text()).slice(0, 200));
    if (res.status === 401) hooks.unauthorized(e, token);
    throw e;
  }
  hooks.answered();
  return res.blob();
}
