import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/pool';
import { hallStore, type Device } from '../store/hall-store';
import { deviceZoneGate } from '../zones/endpoint-zones';

export function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7) : undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    device?: Device;
  }
}

/**
 * Every device request carries its enrollment token; a revoked or unknown token gets 401, a device below
 * the route's security zone 403.
 */
export const requireDevice = (db: Db) => async (req: FastifyRequest, reply: FastifyReply) => {
  const token = bearer(req);
  const device = token ? await hallStore.deviceHeardFrom(db, token) : undefined;
  if (!device || device.revoked) return reply.code(401).send({ error: 'UNAUTHENTICATED' });
  req.device = device;
  return deviceZoneGate(req, reply, device);
};

export const requireAdmin = (adminToken: string) => async (req: FastifyRequest, reply: FastifyReply) => {
  const token = Buffer.from(bearer(req) ?? '');
  const expected = Buffer.from(adminToken);
  if (token.length !== expected.length || !crypto.timingSafeEqual(token, expected)) {
    return reply.code(401).send({ error: 'UNAUTHENTICATED' });
  }
};
