import type { EventName, MethodName } from './contract';
import { ROLES, type Role } from './roles';

/**
 * Who may call each contract method and receive each event: the one table every transport checks.
 * It lives apart from the zod schemas so the sandboxed preloads stay small; `satisfies` keeps its
 * keys exactly the contract's.
 */
export const METHOD_ROLES = {
  'system.info': ROLES,
  'hall.profile.get': ROLES,
  'hall.profile.update': ['admin'],
  'queue.kiosk.queues': ['kiosk', 'counter', 'admin'],
  'queue.ticket.issue': ['kiosk'],
  'queue.appointment.checkIn': ['kiosk'],
  'queue.ticket.get': ['kiosk', 'counter'],
  'queue.counters': ['counter', 'admin'],
  'queue.clerks': ['counter', 'admin'],
  'queue.counter.signIn': ['counter'],
  'queue.counter.signOut': ['counter'],
  'queue.counter.view': ['counter'],
  'queue.counter.pause': ['counter'],
  'queue.callNext': ['counter'],
  'queue.callTicket': ['counter'],
  'queue.recall': ['counter'],
  'queue.start': ['counter'],
  'queue.finish': ['counter'],
  'queue.noShow': ['counter'],
  'queue.reactivate': ['counter'],
  'queue.cancel': ['counter'],
  'queue.transfer': ['counter'],
  'queue.display.board': ['display'],
  'queue.kpis': ['counter', 'display', 'leader', 'admin'],
  // Every device served by the hub prints times and counts days in the hall's zone.
  'queue.hall.clock': ROLES,
  'queue.settings.get': ['counter', 'admin'],
  'queue.settings.update': ['admin'],
  'queue.admin.queues': ['admin'],
  'queue.admin.queues.upsert': ['admin'],
  'queue.admin.counters.upsert': ['admin'],
  'queue.admin.clerks.upsert': ['admin'],
  'queue.admin.appointments.create': ['admin'],
  'catalog.departments': ['counter', 'kiosk', 'admin'],
  'catalog.matters': ['counter', 'kiosk', 'admin'],
  'catalog.admin.departments.upsert': ['admin'],
  'catalog.admin.matters.upsert': ['admin'],
  'calendar.get': ['counter', 'admin'],
  'calendar.admin.put': ['admin'],
  'calendar.addWorkingDays': ['counter', 'admin'],
  'applicant.lookup': ['counter'],
  'applicant.register': ['counter'],
  'applicant.profile': ['counter'],
  'case.intake': ['counter'],
  'case.get': ['counter'],
  'case.list': ['counter', 'admin'],
  'case.document': ['counter'],
  'case.document.archive': ['counter'],
  'feedback.create': ['counter'],
  'feedback.update': ['counter', 'admin'],
  'feedback.list': ['counter', 'admin'],
  'feedback.returnVisit.schedule': ['counter', 'admin'],
  'feedback.returnVisit.record': ['counter', 'admin'],
  'rating.request': ['counter'],
  'rating.pending': ['counter', 'kiosk'],
  'rating.submit': ['counter', 'kiosk'],
  'rating.list': ['counter', 'admin'],
  // The pane's content also needs an unlocked leader session (password + TOTP), checked in the core.
  'leader.session.status': ['leader'],
  'leader.session.login': ['leader'],
  'leader.session.lock': ['leader'],
  'leader.password.change': ['leader'],
  'leader.schedule.list': ['leader'],
  'leader.briefing.list': ['leader'],
  'leader.briefing.open': ['leader'],
  'leader.file.list': ['leader'],
  'leader.file.view': ['leader'],
  'leader.action': ['leader'],
  'leader.audit.verify': ['leader', 'admin'],
  'leader.admin.enrol': ['admin'],
  'leader.admin.import': ['admin'],
  'sync.status': ['admin'],
  'sync.enroll': ['admin'],
  'sync.now': ['admin'],
  'sync.applicant.lookup': ['counter', 'admin'],
  'central.admin.halls': ['admin'],
  'central.admin.createHall': ['admin'],
  'central.admin.enrollmentCode': ['admin'],
  'central.admin.putRef': ['admin'],
  'central.admin.putClerk': ['admin'],
  // Aggregates only, no names of applicants nor leader content: the leader pane shows it without a session.
  'insight.dashboard': ['admin', 'leader'],
  'queue.insight.tickets': ['admin', 'leader'],
} as const satisfies Record<MethodName, readonly Role[]>;

export const EVENT_ROLES = {
  'hall.profile.changed': ROLES,
  'queue.called': ['counter', 'display'],
  'queue.changed': ROLES,
  'case.changed': ['counter', 'admin'],
  'rating.requested': ['counter', 'kiosk'],
  'rating.submitted': ['counter', 'kiosk'],
  'feedback.changed': ['counter', 'admin'],
} as const satisfies Record<EventName, readonly Role[]>;

export function mayCall(role: Role, method: MethodName): boolean {
  return (METHOD_ROLES[method] as readonly Role[]).includes(role);
}

export function methodsForRole(role: Role): MethodName[] {
  return (Object.keys(METHOD_ROLES) as MethodName[]).filter((m) => mayCall(role, m));
}

export function eventsForRole(role: Role): EventName[] {
  return (Object.keys(EVENT_ROLES) as EventName[]).filter((e) => (EVENT_ROLES[e] as readonly Role[]).includes(role));
}
