import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  enrolmentCodeInputSchema,
  hallCreateInputSchema,
  hallUpdateInputSchema,
  staffQuerySchema,
  type AdminDevice,
  type AdminHall,
} from '@shared/console/administration';
import { CONSOLE_API } from '@shared/console/session';
import {
  passwordResetSchema,
  pinResetSchema,
  staffCreateSchema,
  staffUpdateSchema,
} from '@shared/identity/staff-input';
import { staffIdSchema } from '@shared/identity/staff';
import type { Db } from '../db/pool';
import { requireConsole } from '../casework/console-access';
import { sendIdentityError } from '../identity/identity-routes';
import { IdentityError } from '../identity/sign-in';
import { adminHalls, mayActInHall, staffAdmin } from '../identity/staff-admin';
import { invalidInput } from '../routes/invalid-input';
import { administrationStore, type DeviceRow, type HallRow } from './administration-store';
import { deviceAdmin, hallLeaders, leaderNames } from './device-admin';
import { hallAdmin } from './hall-admin';

const hallParams = z.object({ hallId: z.uuid() }).strict();
const deviceParams = z.object({ deviceId: z.uuid() }).strict();
const staffParams = z.object({ staffId: staffIdSchema }).strict();

const iso = (d: Date | null) => d && d.toISOString();
const hallOf = (h: HallRow): AdminHall => ({ ...h, createdAt: h.createdAt.toISOString() });
const deviceOf = (d: DeviceRow, names: Map<string, string>): AdminDevice => ({
  ...d,
  leaderName: d.leaderId === null ? null : (names.get(d.leaderId) ?? null),
  role: d.role as AdminDevice['role'],
  enrolledAt: d.enrolledAt.toISOString(),
  lastSeenAt: iso(d.lastSeenAt),
  revokedAt: iso(d.revokedAt),
});

/** The console's own answer for a person who may use the console but administers nothing. */
const requireAdministrator = async (req: FastifyRequest, reply: FastifyReply) => {
  const roles = req.actor!.roles;
  if (!roles.includes('central_admin') && !roles.includes('hall_admin')) {
    return reply.code(403).send({
      error: 'FORBIDDEN',
      code: 'FORBIDDEN',
      message: 'only an administrator manages halls, devices and staff',
    });
  }
};

/**
 * The console's administration (under CONSOLE_API `/admin/…`): halls and their zone, devices, enrolment
 * codes, revocation, staff accounts. The rules are the admin API's (identity/staff-admin.ts and the services
 * beside this file): a central administrator acts for every hall, a hall administrator for their own.
 */
/** `centralPin`: central's TLS pin (null over plain HTTP), handed out with each enrolment code. */
export function administrationRoutes(app: FastifyInstance, db: Db, centralPin: string | null = null) {
  app.register(async (scoped) => {
    scoped.addHook('preHandler', requireConsole(db));
    scoped.addHook('preHandler', requireAdministrator);
    const api = (path: string) => `${CONSOLE_API}/admin${path}`;
    const run = async (reply: FastifyReply, fn: () => Promise<unknown>, status = 200) => {
      try {
        return reply.code(status).send(await fn());
      } catch (e) {
        return sendIdentityError(reply, e);
      }
    };
    const hallAnswer = async (id: string) => hallOf((await administrationStore.halls(db, [id]))[0]!);
    const ownHall = (req: FastifyRequest, hallId: string) => {
      if (!mayActInHall(req.actor!, hallId))
        throw new IdentityError(403, 'FORBIDDEN', 'not an administrator of this hall');
    };

    scoped.get(api('/halls'), async (req) => (await administrationStore.halls(db, adminHalls(req.actor!))).map(hallOf));
    scoped.post(api('/halls'), async (req, reply) => {
      const p = hallCreateInputSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return run(reply, async () => hallAnswer((await hallAdmin.create(db, req, req.actor!, p.data)).id), 201);
    });
    scoped.post(api('/halls/:hallId'), async (req, reply) => {
      const params = hallParams.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      const p = hallUpdateInputSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return run(reply, async () => {
        await hallAdmin.update(db, req, req.actor!, params.data.hallId, p.data);
        return hallAnswer(params.data.hallId);
      });
    });

    scoped.get(api('/halls/:hallId/devices'), async (req, reply) => {
      const params = hallParams.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      return run(reply, async () => {
        ownHall(req, params.data.hallId);
        const names = await leaderNames(db, params.data.hallId);
        return (await administrationStore.devices(db, params.data.hallId)).map((d) => deviceOf(d, names));
      });
    });
    scoped.get(api('/halls/:hallId/leaders'), async (req, reply) => {
      const params = hallParams.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      return run(reply, async () => {
        ownHall(req, params.data.hallId);
        return hallLeaders(db, params.data.hallId);
      });
    });
    scoped.post(api('/halls/:hallId/enrolment-codes'), async (req, reply) => {
      const params = hallParams.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      const p = enrolmentCodeInputSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return run(
        reply,
        async () => ({
          ...(await deviceAdmin.createCode(db, req, req.actor!, params.data.hallId, p.data)),
          centralPin,
        }),
        201,
      );
    });
    scoped.post(api('/devices/:deviceId/revoke'), async (req, reply) => {
      const params = deviceParams.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      return run(reply, async () => {
        const device = await deviceAdmin.revoke(db, req, req.actor!, params.data.deviceId);
        const names = await leaderNames(db, device.hallId);
        return deviceOf(
          (await administrationStore.devices(db, device.hallId)).find((d) => d.id === device.id)!,
          names,
        );
      });
    });

    scoped.get(api('/staff'), async (req, reply) => {
      const q = staffQuerySchema.safeParse(req.query);
      if (!q.success) return invalidInput(reply, q.error);
      const enabled = q.data.enabled === undefined ? undefined : q.data.enabled === 'true';
      return run(reply, () => staffAdmin.list(db, req.actor!, { ...q.data, enabled }));
    });
    scoped.post(api('/staff'), async (req, reply) => {
      const p = staffCreateSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return run(reply, () => staffAdmin.create(db, req, req.actor!, p.data), 201);
    });
    scoped.post(api('/staff/:staffId'), async (req, reply) => {
      const params = staffParams.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      const p = staffUpdateSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return run(reply, () => staffAdmin.update(db, req, req.actor!, params.data.staffId, p.data));
    });
    for (const [path, enabled] of [
      ['enable', true],
      ['disable', false],
    ] as const) {
      scoped.post(api(`/staff/:staffId/${path}`), async (req, reply) => {
        const params = staffParams.safeParse(req.params);
        if (!params.success) return invalidInput(reply, params.error);
        return run(reply, () => staffAdmin.update(db, req, req.actor!, params.data.staffId, { enabled }));
      });
    }
    scoped.post(api('/staff/:staffId/pin'), async (req, reply) => {
      const params = staffParams.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      const p = pinResetSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return run(reply, () => staffAdmin.resetPin(db, req, req.actor!, params.data.staffId, p.data.pin));
    });
    scoped.post(api('/staff/:staffId/password'), async (req, reply) => {
      const params = staffParams.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      const p = passwordResetSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return run(reply, () => staffAdmin.resetPassword(db, req, req.actor!, params.data.staffId, p.data.password));
    });
    scoped.post(api('/staff/:staffId/totp'), async (req, reply) => {
      const params = staffParams.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      return run(reply, () => staffAdmin.resetTotp(db, req, req.actor!, params.data.staffId));
    });
  });
}
