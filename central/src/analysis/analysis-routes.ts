import type { FastifyInstance } from 'fastify';
import { ANALYSIS_ROLES, analysisQuerySchema } from '@shared/console/analysis';
import { CONSOLE_API } from '@shared/console/session';
import type { Db } from '../db/pool';
import { forbidden, requireConsole } from '../casework/console-access';
import { systemClock, type CaseworkClock } from '../casework/hall-calendar';
import { invalidInput } from '../routes/invalid-input';
import { createAnalysisService } from './analysis-service';

/**
 * `GET {CONSOLE_API}/analysis`: the cross-hall analysis for the leader's office and central administrators
 * (every hall) and the hall roles (their own halls). A hall named that is not the person's is refused, never
 * silently left out. `clock`: central's casework clock (tests move it), for today's overdue cases.
 */
export function analysisRoutes(app: FastifyInstance, db: Db, clock: CaseworkClock = systemClock) {
  const service = createAnalysisService(db, clock);
  app.register(async (scoped) => {
    scoped.addHook('preHandler', requireConsole(db));
    scoped.get(`${CONSOLE_API}/analysis`, async (req, reply) => {
      const actor = req.actor!;
      if (!actor.roles.some((r) => (ANALYSIS_ROLES as readonly string[]).includes(r))) {
        return forbidden(reply, 'the analysis is for the leader’s office, administrators and hall leaders');
      }
      const q = analysisQuerySchema.safeParse(req.query);
      if (!q.success) return invalidInput(reply, q.error);
      const answer = await service.analysis(actor, q.data);
      return answer === 'FORBIDDEN' ? forbidden(reply, 'these halls are not yours to see') : answer;
    });
  });
}
