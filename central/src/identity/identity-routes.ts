import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { centralSignInSchema } from '@shared/api/methods/central-admin';
import type { Db } from '../db/pool';
import { bearer } from '../routes/auth';
import { invalidInput } from '../routes/invalid-input';
import { auditStore } from './audit-store';
import {
  passwordResetSchema,
  pinResetSchema,
  staffCreateSchema,
  staffUpdateSchema,
} from '@shared/identity/staff-input';
import { auditQuerySchema, exchangeSchema, setupSchema, staffListQuery, staffParams } from './schemas';
import { IdentityError, exchangeLegacyToken, sessionPerson, setupWithCode, signIn, signOut } from './sign-in';
import { adminHalls, mayActInHall, staffAdmin } from './staff-admin';
import type { StaffRecord } from './staff-store';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: StaffRecord;
  }
}

/** Roles that may use the admin API; the other staff roles get their own consoles (403 here). */
const ADMIN_API_ROLES = ['central_admin', 'hall_admin'];

export const sendIdentityError = (reply: FastifyReply, e: unknown) => {
  if (e instanceof IdentityError) return reply.code(e.status).send(e.body());
  throw e;
};

/** Every admin route: a live session of a person holding an administrator role. */
export const requireSession = (db: Db) => async (req: FastifyRequest, reply: FastifyReply) => {
  try {
    const actor = await sessionPerson(db, bearer(req));
    if (!actor.roles.some((r) => ADMIN_API_ROLES.includes(r))) {
      throw new IdentityError(403, 'FORBIDDEN', 'this role has no access to the admin API');
    }
    req.actor = actor;
  } catch (e) {
    return sendIdentityError(reply, e);
  }
};

const sameSecret = (a: string, b: string) => {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
};

/** Sign-in, setup, the one-time token exchange, staff accounts and the admin audit trail. */
export function identityRoutes(app: FastifyInstance, db: Db, legacyAdminToken: string | undefined) {
  app.post('/admin/v1/session', async (req, reply) => {
    const p = centralSignInSchema.safeParse(req.body);
    if (!p.success) return invalidInput(reply, p.error);
    try {
      return await signIn(db, req, p.data);
    } catch (e) {
      return sendIdentityError(reply, e);
    }
  });
  app.post('/admin/v1/setup', async (req, reply) => {
    const p = setupSchema.safeParse(req.body);
    if (!p.success) return invalidInput(reply, p.error);
    try {
      return await setupWithCode(db, req, p.data);
    } catch (e) {
      return sendIdentityError(reply, e);
    }
  });
  app.post('/admin/v1/bootstrap/exchange', async (req, reply) => {
    const given = bearer(req) ?? '';
    // An empty or blank token would let anyone in: such a deployment has no token to exchange.
    if (!legacyAdminToken?.trim() || !given || !sameSecret(given, legacyAdminToken)) {
      return reply
        .code(401)
        .send({ error: 'UNAUTHENTICATED', code: 'UNAUTHENTICATED', message: 'not the admin token' });
    }
    const p = exchangeSchema.safeParse(req.body);
    if (!p.success) return invalidInput(reply, p.error);
    try {
      return reply.code(201).send(await exchangeLegacyToken(db, req, p.data));
    } catch (e) {
      return sendIdentityError(reply, e);
    }
  });

  app.register(async (scoped) => {
    scoped.addHook('preHandler', requireSession(db));
    const run = async (reply: FastifyReply, fn: () => Promise<unknown>, status = 200) => {
      try {
        return reply.code(status).send(await fn());
      } catch (e) {
        return sendIdentityError(reply, e);
      }
    };

    scoped.get('/admin/v1/session', async (req) => ({ person: req.actor && staffSummary(req.actor) }));
    scoped.delete('/admin/v1/session', async (req) => {
      await signOut(db, req, bearer(req)!, req.actor!);
      return { signedOut: true };
    });

    scoped.get('/admin/v1/staff', async (req, reply) => {
      const q = staffListQuery.safeParse(req.query);
      if (!q.success) return invalidInput(reply, q.error);
      return run(reply, () => staffAdmin.list(db, req.actor!, { hallId: q.data.hallId }));
    });
    scoped.post('/admin/v1/staff', async (req, reply) => {
      const p = staffCreateSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return run(reply, () => staffAdmin.create(db, req, req.actor!, p.data), 201);
    });
    scoped.patch('/admin/v1/staff/:id', async (req, reply) => {
      const params = staffParams.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      const p = staffUpdateSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return run(reply, () => staffAdmin.update(db, req, req.actor!, params.data.id, p.data));
    });
    scoped.post('/admin/v1/staff/:id/pin', async (req, reply) => {
      const params = staffParams.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      const p = pinResetSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return run(reply, () => staffAdmin.resetPin(db, req, req.actor!, params.data.id, p.data.pin));
    });
    scoped.post('/admin/v1/staff/:id/password', async (req, reply) => {
      const params = staffParams.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      const p = passwordResetSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return run(reply, () => staffAdmin.resetPassword(db, req, req.actor!, params.data.id, p.data.password));
    });
    scoped.post('/admin/v1/staff/:id/totp', async (req, reply) => {
      const params = staffParams.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      return run(reply, () => staffAdmin.resetTotp(db, req, req.actor!, params.data.id));
    });
    for (const [path, enabled] of [
      ['enable', true],
      ['disable', false],
    ] as const) {
      scoped.post(`/admin/v1/staff/:id/${path}`, async (req, reply) => {
        const params = staffParams.safeParse(req.params);
        if (!params.success) return invalidInput(reply, params.error);
        return run(reply, () => staffAdmin.update(db, req, req.actor!, params.data.id, { enabled }));
      });
    }

    scoped.get('/admin/v1/audit', async (req, reply) => {
      const q = auditQuerySchema.safeParse(req.query);
      if (!q.success) return invalidInput(reply, q.error);
      const actor = req.actor!;
      if (q.data.hallId && !mayActInHall(actor, q.data.hallId)) {
        return reply.code(403).send({ error: 'FORBIDDEN', code: 'FORBIDDEN', message: 'not your hall' });
      }
      return auditStore.list(db, {
        from: q.data.from ?? null,
        to: q.data.to ?? null,
        limit: q.data.limit,
        actor: q.data.actor ?? null,
        hallIds: q.data.hallId ? [q.data.hallId] : adminHalls(actor),
      });
    });
  });
}

const staffSummary = (s: StaffRecord) => ({
  staffId: s.id,
  login: s.login,
  name: s.name,
  roles: s.roles,
  hallIds: s.hallIds,
});
