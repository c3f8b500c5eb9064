import { z } from 'zod';
import { AUDIT_ALARM_KINDS, auditChainSchema } from '../audit/keyed-chain';
import { deviceRoleSchema } from '../sync/wire';
import { multiLine } from '../validation/text';

/*
 * The console's audit alarms (under CONSOLE_API `/audit-alarms`): what central found wrong with a device's
 * audit chain head at a push (audit-anchor), and who looked into it. Central administrators only: a hall's own
 * people administer the very devices whose chains are in question.
 */

/** Who acknowledged an alarm, when, and what they found. */
export const auditAlarmAckSchema = z.object({
  staffId: z.string(),
  login: z.string(),
  name: z.string().nullable(),
  note: z.string(),
  at: z.iso.datetime({ offset: true }),
});
export type AuditAlarmAck = z.infer<typeof auditAlarmAckSchema>;

export const consoleAuditAlarmSchema = z.object({
  id: z.string().regex(/^\d+$/),
  hallId: z.uuid(),
  hallName: z.string(),
  deviceId: z.uuid(),
  deviceName: z.string(),
  deviceRole: deviceRoleSchema.or(z.string()),
  /** A leader device: the leader whose pane it is, by name when the account exists, else by id. */
  leader: z.string().nullable(),
  chain: auditChainSchema,
  kind: z.enum(AUDIT_ALARM_KINDS),
  reason: z.string(),
  headSeq: z.number().int(),
  anchoredSeq: z.number().int().nullable(),
  raisedAt: z.iso.datetime({ offset: true }),
  ack: auditAlarmAckSchema.nullable(),
});
export type ConsoleAuditAlarm = z.infer<typeof consoleAuditAlarmSchema>;

/** Unacknowledged first, then newest first; `unacknowledged` counts them all, beyond the page too. */
export const auditAlarmListSchema = z.object({
  items: z.array(consoleAuditAlarmSchema),
  unacknowledged: z.number().int().min(0),
});
export type AuditAlarmList = z.infer<typeof auditAlarmListSchema>;

export const auditAlarmCountSchema = z.object({ unacknowledged: z.number().int().min(0) });

export const auditAlarmParamsSchema = z.object({ id: z.string().regex(/^[1-9]\d{0,17}$/) }).strict();

/** What the administrator found: required, so an acknowledgement always says why the alarm is closed. */
export const auditAlarmAckInputSchema = z
  .object({ note: multiLine(500).pipe(z.string().min(2, { message: 'must be at least 2 characters' })) })
  .strict();
export type AuditAlarmAckInput = z.input<typeof auditAlarmAckInputSchema>;

/** 409 to the second of two acknowledgements: the alarm as it is now, with the first one's. */
export const AUDIT_ALARM_ACKNOWLEDGED = 'AUDIT_ALARM_ALREADY_ACKNOWLEDGED';
