import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  calendarDayRemoveSchema,
  calendarDayWriteSchema,
  calendarImportSchema,
  calendarQuerySchema,
} from '@shared/console/calendar';
import {
  catalogIdParamsSchema,
  catalogWithdrawSchema,
  departmentListQuerySchema,
  departmentWriteSchema,
  matterGetQuerySchema,
  matterListQuerySchema,
  matterWriteSchema,
} from '@shared/console/catalog';
import { CONSOLE_API } from '@shared/console/session';
import type { Db } from '../db/pool';
import { sendIdentityError } from '../identity/identity-routes';
import { requireConsole } from '../casework/console-access';
import { systemClock, type CaseworkClock } from '../casework/hall-calendar';
import { invalidInput } from '../routes/invalid-input';
import { requireCatalogAdmin } from './catalog-access';
import { createCalendarAdmin } from './calendar-service';
import { createCatalogAdmin } from './catalog-service';

/** Answers a service's result, or its refusal (an IdentityError) in the console's error shape. */
async function answer<T>(reply: FastifyReply, run: () => Promise<T>) {
  try {
    return await run();
  } catch (e) {
    return sendIdentityError(reply, e);
  }
}

/**
 * The console's matter catalog and working-day calendar (under CONSOLE_API /catalog): central and hall
 * administrators only; `clock` is central's date for the calendar banner (tests move it).
 */
export function catalogRoutes(app: FastifyInstance, db: Db, clock: CaseworkClock = systemClock) {
  const catalog = createCatalogAdmin(db);
  const calendar = createCalendarAdmin(db, clock);

  app.register(async (scoped) => {
    scoped.addHook('preHandler', requireConsole(db));
    scoped.addHook('preHandler', requireCatalogAdmin);
    const api = (path: string) => `${CONSOLE_API}/catalog${path}`;

    scoped.get(api('/departments'), async (req, reply) => {
      const q = departmentListQuerySchema.safeParse(req.query);
      if (!q.success) return invalidInput(reply, q.error);
      return answer(reply, () => catalog.departments(req.actor!, q.data.scope));
    });
    scoped.post(api('/departments'), async (req, reply) => {
      const p = departmentWriteSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return answer(reply, () => catalog.writeDepartment(req, req.actor!, p.data));
    });
    scoped.post(api('/departments/:id/withdraw'), async (req, reply) => {
      const params = catalogIdParamsSchema.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      const p = catalogWithdrawSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return answer(reply, async () => {
        await catalog.withdrawDepartment(req, req.actor!, params.data.id, p.data);
        return { withdrawn: true };
      });
    });

    scoped.get(api('/matters'), async (req, reply) => {
      const q = matterListQuerySchema.safeParse(req.query);
      if (!q.success) return invalidInput(reply, q.error);
      return answer(reply, () => catalog.matters(req.actor!, q.data));
    });
    scoped.get(api('/matters/:id'), async (req, reply) => {
      const params = catalogIdParamsSchema.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      const q = matterGetQuerySchema.safeParse(req.query);
      if (!q.success) return invalidInput(reply, q.error);
      return answer(reply, () => catalog.matter(req.actor!, params.data.id, q.data.scope));
    });
    scoped.post(api('/matters'), async (req, reply) => {
      const p = matterWriteSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return answer(reply, () => catalog.writeMatter(req, req.actor!, p.data));
    });
    scoped.post(api('/matters/:id/withdraw'), async (req, reply) => {
      const params = catalogIdParamsSchema.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      const p = catalogWithdrawSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return answer(reply, () => catalog.withdrawMatter(req, req.actor!, params.data.id, p.data));
    });

    scoped.get(api('/calendar'), async (req, reply) => {
      const q = calendarQuerySchema.safeParse(req.query);
      if (!q.success) return invalidInput(reply, q.error);
      return answer(reply, () => calendar.year(req.actor!, q.data.year, q.data.scope));
    });
    scoped.get(api('/calendar/status'), async (req, reply) => answer(reply, () => calendar.status(req.actor!)));
    scoped.post(api('/calendar/days'), async (req, reply) => {
      const p = calendarDayWriteSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return answer(reply, () => calendar.addDay(req, req.actor!, p.data));
    });
    scoped.post(api('/calendar/days/remove'), async (req, reply) => {
      const p = calendarDayRemoveSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return answer(reply, () => calendar.removeDay(req, req.actor!, p.data));
    });
    scoped.post(api('/calendar/import'), async (req, reply) => {
      const p = calendarImportSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      return answer(reply, () => calendar.importYear(req, req.actor!, p.data));
    });
  });
}
