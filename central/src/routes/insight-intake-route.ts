import type { FastifyInstance } from 'fastify';
import { BAD_RATING_MAX } from '@shared/api/methods/feedback';
import { OPEN_CASE_STATES } from '@shared/intake/case-states';
import { OVERDUE_LIST_LIMIT, intakeRangeInstants, intakeStatsOf } from '@shared/intake/intake-stats';
import { INSIGHT_INTAKE_PATH, insightIntakeQuerySchema } from '@shared/sync/insight-queries';
import type { DeviceRole } from '@shared/sync/wire';
import type { Db } from '../db/pool';
import { insightIntakeStore } from '../store/insight-intake-store';
import { requireDevice } from './auth';
import { invalidInput } from './invalid-input';

/**
 * The devices that show the hall dashboard: the hall's admin PC and leader devices (`insight.dashboard`
 * is theirs), and a hub, which serves it to the hall's PCs.
 */
const INSIGHT_ROLES: ReadonlySet<string> = new Set(['admin', 'leader', 'hub'] satisfies DeviceRole[]);

/**
 * The hall dashboard's cases, feedback and ratings over every device of the caller's hall: what each
 * counter computes from its own records (electron/core/services/insight-service.ts), for the whole hall.
 */
export function insightIntakeRoute(app: FastifyInstance, db: Db) {
  app.register(async (scoped) => {
    scoped.addHook('preHandler', requireDevice(db));
    scoped.get(INSIGHT_INTAKE_PATH, async (req, reply) => {
      const device = req.device!;
      if (!INSIGHT_ROLES.has(device.role)) return reply.code(403).send({ error: 'FORBIDDEN' });
      const parsed = insightIntakeQuerySchema.safeParse(req.query);
      if (!parsed.success) return invalidInput(reply, parsed.error);
      const { from, to, today, tz } = parsed.data;
      const rows = await insightIntakeStore.rows(db, {
        hallId: device.hallId,
        ...intakeRangeInstants(from, to, tz),
        fromDate: from,
        toDate: to,
        today,
        openStates: OPEN_CASE_STATES,
        badMax: BAD_RATING_MAX,
        overdueLimit: OVERDUE_LIST_LIMIT,
      });
      return intakeStatsOf(rows);
    });
  });
}
