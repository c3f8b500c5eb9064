import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  AUDIT_ALARM_ACKNOWLEDGED,
  auditAlarmAckInputSchema,
  auditAlarmParamsSchema,
  type AuditAlarmList,
  type ConsoleAuditAlarm,
} from '@shared/console/audit-alarms';
import { CONSOLE_API } from '@shared/console/session';
import { inTransaction, type Db } from '../db/pool';
import { forbidden, notFound, requireConsole } from '../casework/console-access';
import { auditAdmin } from '../identity/audit';
import { isCentralAdmin } from '../identity/staff-admin';
import { invalidInput } from '../routes/invalid-input';
import { alarmConsoleStore } from './alarm-console-store';

const LIST_LIMIT = 500;

/**
 * Central's administrators only: a hall's administrators enrol and run the very devices whose audit chains
 * the alarms are about, so they neither see nor close them here.
 */
const requireCentralAdmin = async (req: FastifyRequest, reply: FastifyReply) => {
  if (!isCentralAdmin(req.actor!)) return forbidden(reply, 'audit alarms are for central administrators');
};

/** The console's audit alarms: the list (unacknowledged first), their count for the badge, acknowledging one. */
export function alarmConsoleRoutes(app: FastifyInstance, db: Db) {
  app.register(async (scoped) => {
    scoped.addHook('preHandler', requireConsole(db));
    scoped.addHook('preHandler', requireCentralAdmin);

    scoped.get(`${CONSOLE_API}/audit-alarms`, async (): Promise<AuditAlarmList> => {
      const [items, unacknowledged] = await Promise.all([
        alarmConsoleStore.list(db, LIST_LIMIT),
        alarmConsoleStore.unacknowledged(db),
      ]);
      return { items, unacknowledged };
    });
    scoped.get(`${CONSOLE_API}/audit-alarms/count`, async () => ({
      unacknowledged: await alarmConsoleStore.unacknowledged(db),
    }));

    scoped.post(`${CONSOLE_API}/audit-alarms/:id/ack`, async (req, reply): Promise<ConsoleAuditAlarm | void> => {
      const params = auditAlarmParamsSchema.safeParse(req.params);
      if (!params.success) return invalidInput(reply, params.error);
      const body = auditAlarmAckInputSchema.safeParse(req.body);
      if (!body.success) return invalidInput(reply, body.error);
      const actor = req.actor!;
      const outcome = await inTransaction(db, async (tx) => {
        const alarm = await alarmConsoleStore.alarm(tx, params.data.id);
        if (!alarm) return 'missing' as const;
        const acked = await alarmConsoleStore.acknowledge(tx, {
          alarmId: alarm.id,
          staffId: actor.id,
          login: actor.login,
          note: body.data.note,
        });
        if (!acked) return 'taken' as const;
        await auditAdmin(
          tx,
          req,
          { staffId: actor.id, login: actor.login },
          {
            action: 'audit_alarm_ack',
            entity: `audit_alarm:${alarm.id}`,
            hallId: alarm.hallId,
            before: { kind: alarm.kind, chain: alarm.chain, deviceId: alarm.deviceId, ack: null },
            after: { note: body.data.note },
          },
        );
        return 'acked' as const;
      });
      if (outcome === 'missing') return notFound(reply, 'no such audit alarm');
      // Read after the transaction: the first acknowledgement, which this one lost to, has committed.
      const now = (await alarmConsoleStore.alarm(db, params.data.id))!;
      if (outcome === 'taken') {
        return reply.code(409).send({
          error: AUDIT_ALARM_ACKNOWLEDGED,
          code: AUDIT_ALARM_ACKNOWLEDGED,
          message: 'someone acknowledged this alarm first',
          alarm: now,
        });
      }
      return now;
    });
  });
}
