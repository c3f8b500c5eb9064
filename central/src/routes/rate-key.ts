import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/pool';
import { hallStore, sha256 } from '../store/hall-store';
import { bearer } from './auth';

const KNOWN_FOR_MS = 60_000;
const MAX_KNOWN = 10_000;

/**
 * The rate limit's key: a live device or session counts on its own (one chatty device must not starve a
 * hall behind the same NAT); anything else — no token, or a token nobody holds — counts against its
 * address, or a client would get a fresh allowance with each random token. Live tokens are remembered
 * for a minute, so a device's requests cost no extra query; a revoked one is refused by its route anyway.
 * An address counts with its IPv6 /64 (the plugin's default): a client holds a whole /64 and could
 * otherwise send each sign-in or enrolment guess from a fresh address.
 */
export function rateLimitKey(db: Db) {
  const known = new Map<string, number>();
  return async (req: FastifyRequest): Promise<string> => {
    const token = bearer(req);
    const address = normalizeIP(req.ip);
    if (!token) return address;
    const hash = sha256(token);
    const until = known.get(hash);
    if (until !== undefined && until > Date.now()) return hash;
    if (!(await hallStore.tokenIsLive(db, hash))) return address;
    if (known.size >= MAX_KNOWN) known.clear();
    known.set(hash, Date.now() + KNOWN_FOR_MS);
    return hash;
  };
}
