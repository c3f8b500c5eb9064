import {
  auditAlarmCountSchema,
  auditAlarmListSchema,
  consoleAuditAlarmSchema,
  type AuditAlarmAckInput,
} from '@shared/console/audit-alarms';
import { http } from './http';

/** Central's audit alarms (`/audit-alarms…`), each answer checked with the contract. */
export const auditAlarmsApi = {
  list: () => http('GET', '/audit-alarms', auditAlarmListSchema),
  count: () => http('GET', '/audit-alarms/count', auditAlarmCountSchema),
  acknowledge: (id: string, input: AuditAlarmAckInput) =>
    http('POST', `/audit-alarms/${encodeURIComponent(id)}/ack`, consoleAuditAlarmSchema, { body: input }),
};
