import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { BAD_RATING_MAX } from '@shared/api/methods/feedback';
import { caseActionInputSchema, caseBulkInputSchema, caseQueueQuerySchema } from '@shared/console/cases';
import {
  feedbackActionInputSchema,
  feedbackQueueQuerySchema,
  ratingFiguresQuerySchema,
  type RatingFigures,
  type Reminders,
} from '@shared/console/feedback';
import { CONSOLE_API, type ConsoleDirectory } from '@shared/console/session';
import { intakeRangeInstants } from '@shared/intake/intake-stats';
import type { Db } from '../db/pool';
import { hallStore } from '../store/hall-store';
import { invalidInput } from '../routes/invalid-input';
import { conflictMessage, createCaseService } from './case-service';
import { catalogStore } from './catalog-store';
import { forbidden, notFound, requireConsole, scopeOf } from './console-access';
import { startEscalationJob } from './escalation';
import { createFeedbackService } from './feedback-service';
import { figuresStore } from './figures-store';
import { systemClock, type CaseworkClock } from './hall-calendar';
import { consoleSessionRoutes } from './session-routes';

export interface CaseworkOptions {
  /** Central's date and time for deadlines and history (tests move it). */
  clock?: CaseworkClock;
  /** The daily feedback escalation pass (on unless false). */
  escalation?: boolean;
}

const caseParams = z.object({ caseId: z.uuid() }).strict();
const feedbackParams = z.object({ feedbackId: z.uuid() }).strict();
const rate = (n: number, of: number) => (of === 0 ? null : n / of);

/**
 * The console's API under CONSOLE_API: sign-in, the department's cases, supervision of feedback, the
 * 好差评 figures, reminders and the directory; and the daily escalation of feedback due soon or overdue.
 */
export function caseworkRoutes(app: FastifyInstance, db: Db, opts: CaseworkOptions = {}) {
  const clock = opts.clock ?? systemClock;
  const cases = createCaseService(db, clock);
  const feedback = createFeedbackService(db, clock);
  consoleSessionRoutes(app, db);

  if (opts.escalation !== false) {
    let stop: (() => Promise<void>) | undefined;
    app.addHook('onReady', async () => {
      stop = startEscalationJob(db, clock, app.log);
    });
    app.addHook('onClose', async () => stop?.());
  }

  app.register(async (scoped) => {
    scoped.addHook('preHandler', requireConsole(db));
    const api = (path: string) => `${CONSOLE_API}${path}`;
    const refused = (reply: FastifyReply, r: 'NOT_FOUND' | 'FORBIDDEN', what: string) =>
      r === 'NOT_FOUND' ? notFound(reply, `no such ${what}`) : forbidden(reply, `this ${what} is not yours to see`);

    scoped.get(api('/cases'), async (req, reply) => {
      const q = caseQueueQuerySchema.safeParse(req.query);
      if (!q.success) return invalidInput(reply, q.error);
      return cases.queue(req.actor!, q.data);
    });
    scoped.get(api('/cases/:caseId'), async (req, reply) => {
      const p = caseParams.safeParse(req.params);
      if (!p.success) return invalidInput(reply, p.error);
      const r = await cases.get(req.actor!, p.data.caseId);
      return typeof r === 'string' ? refused(reply, r, 'case') : r;
    });
    scoped.post(api('/cases/bulk'), async (req, reply) => {
      const p = caseBulkInputSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      if (!req.actor!.roles.includes('department_handler')) return forbidden(reply, 'only a department acts on cases');
      return cases.bulk(req, req.actor!, p.data);
    });
    scoped.post(api('/cases/:caseId/actions'), async (req, reply) => {
      const params = caseParams.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      const p = caseActionInputSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      const r = await cases.act(req, req.actor!, params.data.caseId, p.data.version, p.data.act);
      if (r.ok) return r.detail;
      if (!('current' in r)) {
        return r.code === 'NOT_FOUND'
          ? notFound(reply, 'no such case')
          : forbidden(reply, 'only a handler of the case’s department acts on it');
      }
      return reply
        .code(409)
        .send({ error: r.code, code: r.code, message: conflictMessage(r.code), current: r.current });
    });

    scoped.get(api('/feedback'), async (req, reply) => {
      const q = feedbackQueueQuerySchema.safeParse(req.query);
      if (!q.success) return invalidInput(reply, q.error);
      return feedback.queue(req.actor!, q.data);
    });
    scoped.get(api('/feedback/:feedbackId'), async (req, reply) => {
      const p = feedbackParams.safeParse(req.params);
      if (!p.success) return invalidInput(reply, p.error);
      const r = await feedback.get(req.actor!, p.data.feedbackId);
      return typeof r === 'string' ? refused(reply, r, 'feedback item') : r;
    });
    scoped.post(api('/feedback/:feedbackId/actions'), async (req, reply) => {
      const params = feedbackParams.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      const p = feedbackActionInputSchema.safeParse(req.body);
      if (!p.success) return invalidInput(reply, p.error);
      const r = await feedback.act(req, req.actor!, params.data.feedbackId, p.data.version, p.data.act);
      if (r.ok) return r.detail;
      const status = { NOT_FOUND: 404, FORBIDDEN: 403, RATED_CLERK: 403, INVALID_INPUT: 400 } as const;
      const { ok: _ok, ...body } = r;
      return reply
        .code(r.code in status ? status[r.code as keyof typeof status] : 409)
        .send({ error: r.code, ...body });
    });

    scoped.get(api('/ratings/figures'), async (req, reply) => {
      const q = ratingFiguresQuerySchema.safeParse(req.query);
      if (!q.success) return invalidInput(reply, q.error);
      // The figures are the halls': a person sees those of the halls they work in, or of every hall.
      const scope = scopeOf(req.actor!);
      if (q.data.hallId && !scope.all && !scope.hallIds.includes(q.data.hallId)) {
        return forbidden(reply, 'not your hall');
      }
      if (!scope.all && scope.hallIds.length === 0) {
        return forbidden(reply, 'the figures are the halls’ and this person works in none');
      }
      const halls = (await hallStore.halls(db)).filter((h) =>
        q.data.hallId ? h.id === q.data.hallId : scope.all || scope.hallIds.includes(h.id),
      );
      const c = await figuresStore.counts(db, {
        ranges: halls.map((h) => ({ hallId: h.id, ...intakeRangeInstants(q.data.from, q.data.to, h.timeZone) })),
        badMax: BAD_RATING_MAX,
      });
      const figures: RatingFigures = {
        ...c,
        rectificationRate: rate(c.rectified, c.bad),
        returnVisitRate: rate(c.revisited, c.revisitDue),
        namedReturnVisitRate: rate(c.namedBadRevisited, c.namedBad),
      };
      return figures;
    });

    scoped.get(api('/reminders'), async (req) => {
      const answer: Reminders = { ...(await cases.reminders(req.actor!)), ...(await feedback.reminders(req.actor!)) };
      return answer;
    });

    scoped.get(api('/directory'), async (req) => {
      const scope = scopeOf(req.actor!);
      // A department handler works its cases in every hall.
      const everyHall = scope.all || scope.departmentIds.length > 0;
      const halls = (await hallStore.halls(db)).filter((h) => everyHall || scope.hallIds.includes(h.id));
      const departments = await catalogStore.departments(db, everyHall ? null : scope.hallIds);
      const answer: ConsoleDirectory = {
        halls: halls.map((h) => ({ id: h.id, code: h.code, name: h.name })),
        departments:
          scope.all || scope.hallIds.length > 0
            ? departments
            : departments.filter((d) => scope.departmentIds.includes(d.id)),
      };
      return answer;
    });
  });
}
