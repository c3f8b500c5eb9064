import type { FastifyRequest } from 'fastify';
import type { Db, Tx } from '../db/pool';
import { auditStore } from './audit-store';

const CREDENTIAL_WORDS = new Set(['hash', 'secret', 'password', 'pin', 'token', 'code', 'totp', 'otpauth']);
const isCredentialKey = (key: string) =>
  key
    .split(/(?=[A-Z])|[_\-.]/)
    .map((w) => w.toLowerCase())
    .some((w) => CREDENTIAL_WORDS.has(w));

/** A copy with every credential-like field replaced: an audit row must never become a credential store. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, isCredentialKey(k) && v !== null ? '[redacted]' : redact(v)]),
  );
}

export interface Actor {
  staffId: string | null;
  login: string | null;
}

/** One admin audit row for a request, inside the transaction of what it records. */
export async function auditAdmin(
  tx: Tx | Db,
  req: FastifyRequest | null,
  actor: Actor,
  row: {
    action: string;
    entity: string | null;
    hallId: string | null;
    before?: unknown;
    after?: unknown;
    outcome?: 'ok' | 'refused';
  },
): Promise<void> {
  await auditStore.admin(tx, {
    staffId: actor.staffId,
    login: actor.login,
    action: row.action,
    method: req?.method ?? null,
    path: req ? req.url.split('?')[0]! : null,
    entity: row.entity,
    hallId: row.hallId,
    before: redact(row.before ?? null),
    after: redact(row.after ?? null),
    outcome: row.outcome ?? 'ok',
  });
}
