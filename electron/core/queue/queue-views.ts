import type { Counter, QueueSettings } from '@shared/api';
import type { CounterRecord, TicketRecord } from '../store/queue-store';

export const publicCounter = (c: CounterRecord): Counter => ({
  id: c.id,
  number: c.number,
  name: c.name,
  queueIds: c.queueIds,
  status: c.status,
  clerkId: c.clerkId,
  clerkName: c.clerkName,
  currentTicketId: c.currentTicketId,
});

export const publicSettings = (s: QueueSettings): QueueSettings => ({
  timeZone: s.timeZone,
  resetTime: s.resetTime,
  noShowAfterCalls: s.noShowAfterCalls,
  noShowGraceSeconds: s.noShowGraceSeconds,
  priorityStreakLimit: s.priorityStreakLimit,
  appointmentEarlyMinutes: s.appointmentEarlyMinutes,
  appointmentLateMinutes: s.appointmentLateMinutes,
});

export function strip(t: TicketRecord) {
  return {
    id: t.id,
    number: t.number,
    queueId: t.queueId,
    hallDay: t.hallDay,
    state: t.state,
    priority: t.priority,
    applicantType: t.applicantType,
    appointmentCode: t.appointmentCode,
    arrivedAt: t.arrivedAt,
    issuedAt: t.issuedAt,
    parentId: t.parentId,
    targetCounterId: t.targetCounterId,
    counterId: t.counterId,
    callCount: t.callCount,
    firstCalledAt: t.firstCalledAt,
    lastCalledAt: t.lastCalledAt,
    reactivated: t.reactivated,
  };
}
