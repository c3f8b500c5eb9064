import type { StaffRole } from '../identity/staff';
import type { EventName, MethodName } from './contract';
import { BOUND_DEVICE_ROLES, ROLES, isDeviceRole, type Role } from './roles';

/**
 * Who may call each contract method and receive each event: the one table every transport checks.
 * It lives apart from the zod schemas so the sandboxed preloads stay small; `satisfies` keeps its
 * keys exactly the contract's.
 */
export const METHOD_ROLES = {
  'system.info': ROLES,
  'hall.profile.get': ROLES,
  'hall.profile.update': ['admin'],
  // A page signs in through these, so every role may call them; what a session may do after depends on who signed in.
  'identity.session': ROLES,
  'identity.signIn': ['admin'],
  'identity.signOut': ['counter', 'admin'],
  // Accounts live where the hall's queue does (the hub): the admin page of any PC reaches them there.
  'staff.list': ['admin'],
  'staff.upsert': ['admin'],
  'audit.list': ['admin'],
  'audit.verify': ['admin'],
  'queue.kiosk.queues': ['kiosk', 'counter', 'admin'],
  'queue.ticket.issue': ['kiosk'],
  'queue.appointment.checkIn': ['kiosk'],
  'queue.ticket.get': ['kiosk', 'counter'],
  'queue.counters': ['counter', 'admin'],
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
  'queue.display.settings': ['display', 'admin'],
  'queue.display.settings.update': ['admin'],
  'queue.ticket.reprint': ['kiosk'],
  'queue.ticket.smsOptIn': ['kiosk'],
  'queue.kpis': ['counter', 'display', 'leader', 'admin'],
  // Every device served by the hub prints times and counts days in the hall's zone.
  'queue.hall.clock': ROLES,
  'queue.settings.get': ['counter', 'admin'],
  'queue.settings.update': ['admin'],
  'queue.admin.queues': ['admin'],
  'queue.admin.queues.upsert': ['admin'],
  'queue.admin.counters.upsert': ['admin'],
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
  'case.supplement.receive': ['counter'],
  'case.document': ['counter'],
  'case.document.archive': ['counter'],
  'attachment.page.add': ['counter'],
  'attachment.page.list': ['counter'],
  'attachment.page.reorder': ['counter'],
  'attachment.page.delete': ['counter'],
  'attachment.page.read': ['counter'],
  'feedback.create': ['counter'],
  'feedback.update': ['counter', 'admin'],
  'feedback.list': ['counter', 'admin'],
  'feedback.returnVisit.schedule': ['counter', 'admin'],
  'feedback.returnVisit.record': ['counter', 'admin'],
  // The clerk shows a code; the rating screen (unpaired until then) pairs with it, then is bound to that counter.
  'rating.pairing.code': ['counter'],
  'rating.pair': ['rate'],
  'rating.screen': ['rate'],
  'rating.request': ['counter'],
  // Only the citizen rates: on the screen paired with the counter, with the visit's one-time token; never
  // at a kiosk, a hall screen or by the clerk.
  'rating.pending': ['rate'],
  'rating.submit': ['rate'],
  'rating.list': ['counter', 'admin'],
  'rating.appeal.file': ['counter'],
  'rating.appeal.decide': ['counter', 'admin'],
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
  'leader.admin.storage': ['admin'],
  'sync.status': ['admin'],
  'sync.enroll': ['admin'],
  'sync.now': ['admin'],
  'sync.applicant.lookup': ['counter', 'admin'],
  // The person signs in at central too: central decides what their account may do there.
  'central.admin.signIn': ['admin'],
  'central.admin.halls': ['admin'],
  'central.admin.createHall': ['admin'],
  'central.admin.enrollmentCode': ['admin'],
  'central.admin.putRef': ['admin'],
  'central.admin.putClerk': ['admin'],
  // Aggregates only, no names of applicants nor leader content; a leader still signs in to see them.
  'insight.dashboard': ['admin', 'leader'],
  'queue.insight.tickets': ['admin', 'leader'],
  // The reader is the device's own: the counter's for the clerk, the kiosk's for the citizen.
  'idcard.read': ['counter'],
  'idcard.ticket.issue': ['kiosk'],
  'idcard.appointment.checkIn': ['kiosk'],
  // Also refused (in the core) to any caller without a hall device token: a page never names a holder.
  'idcard.hub.ticket.issue': ['kiosk'],
  'idcard.hub.appointment.checkIn': ['kiosk'],
} as const satisfies Record<MethodName, readonly Role[]>;

export const EVENT_ROLES = {
  'hall.profile.changed': ROLES,
  'queue.called': ['counter', 'display'],
  'queue.changed': ROLES,
  'queue.counter.ended': ['counter'],
  'case.changed': ['counter', 'admin'],
  // Carries the one-time token: the transports deliver it only to the screen paired with its counter.
  'rating.requested': ['rate'],
  'rating.submitted': ['counter', 'rate'],
  'feedback.changed': ['counter', 'admin'],
} as const satisfies Record<EventName, readonly Role[]>;

/** A person-role method anyone may call before signing in (how a page signs in, and what it shows meanwhile). */
const OPEN = 'open';
const CLERK = ['clerk'] as const;
const HALL_ADMIN = ['hall_admin'] as const;
const DESK = ['clerk', 'hall_admin'] as const;
const FEEDBACK_DESK = ['clerk', 'supervisor', 'hall_admin'] as const;
const OVERSIGHT = ['hall_admin', 'supervisor', 'leader'] as const;
/** Device-only methods: no person window may call them (METHOD_ROLES), so no staff role applies. */
const DEVICE_ONLY = [] as const;

/**
 * Which staff roles the signed-in person must hold when a person's window (counter, admin, leader) calls
 * a method: a clerk's PIN opens the counter's work, a hall administrator's password and TOTP the hall's
 * setup. Device windows (kiosk, display, rating screen) act as themselves. Both tables must allow a call.
 */
export const METHOD_STAFF = {
  'system.info': OPEN,
  'hall.profile.get': OPEN,
  'hall.profile.update': HALL_ADMIN,
  'identity.session': OPEN,
  'identity.signIn': OPEN,
  'identity.signOut': OPEN,
  'staff.list': HALL_ADMIN,
  'staff.upsert': HALL_ADMIN,
  'audit.list': ['hall_admin', 'supervisor'],
  'audit.verify': ['hall_admin', 'supervisor'],
  'queue.kiosk.queues': DESK,
  'queue.ticket.issue': DEVICE_ONLY,
  'queue.appointment.checkIn': DEVICE_ONLY,
  'queue.ticket.get': CLERK,
  // The sign-in form picks one of the counters this PC is bound to; window numbers are posted in the hall.
  'queue.counters': OPEN,
  'queue.counter.signIn': OPEN,
  'queue.counter.signOut': CLERK,
  'queue.counter.view': CLERK,
  'queue.counter.pause': CLERK,
  'queue.callNext': CLERK,
  'queue.callTicket': CLERK,
  'queue.recall': CLERK,
  'queue.start': CLERK,
  'queue.finish': CLERK,
  'queue.noShow': CLERK,
  'queue.reactivate': CLERK,
  'queue.cancel': CLERK,
  'queue.transfer': CLERK,
  'queue.display.board': DEVICE_ONLY,
  'queue.display.settings': HALL_ADMIN,
  'queue.display.settings.update': HALL_ADMIN,
  'queue.ticket.reprint': DEVICE_ONLY,
  'queue.ticket.smsOptIn': DEVICE_ONLY,
  'queue.kpis': ['clerk', 'hall_admin', 'supervisor', 'leader'],
  'queue.hall.clock': OPEN,
  'queue.settings.get': DESK,
  'queue.settings.update': HALL_ADMIN,
  'queue.admin.queues': HALL_ADMIN,
  'queue.admin.queues.upsert': HALL_ADMIN,
  'queue.admin.counters.upsert': HALL_ADMIN,
  'queue.admin.appointments.create': HALL_ADMIN,
  'catalog.departments': DESK,
  'catalog.matters': DESK,
  'catalog.admin.departments.upsert': HALL_ADMIN,
  'catalog.admin.matters.upsert': HALL_ADMIN,
  'calendar.get': DESK,
  'calendar.admin.put': HALL_ADMIN,
  'calendar.addWorkingDays': DESK,
  'applicant.lookup': CLERK,
  'applicant.register': CLERK,
  'applicant.profile': CLERK,
  'case.intake': CLERK,
  'case.get': CLERK,
  'case.list': ['clerk', 'hall_admin', 'supervisor'],
  'case.supplement.receive': CLERK,
  'case.document': CLERK,
  'case.document.archive': CLERK,
  'attachment.page.add': CLERK,
  'attachment.page.list': CLERK,
  'attachment.page.reorder': CLERK,
  'attachment.page.delete': CLERK,
  'attachment.page.read': CLERK,
  'feedback.create': ['clerk', 'supervisor'],
  'feedback.update': FEEDBACK_DESK,
  'feedback.list': FEEDBACK_DESK,
  'feedback.returnVisit.schedule': FEEDBACK_DESK,
  'feedback.returnVisit.record': FEEDBACK_DESK,
  'rating.pairing.code': CLERK,
  // How an unpaired rating screen becomes a bound one (and finds out whether it is): open to it.
  'rating.pair': OPEN,
  'rating.screen': OPEN,
  'rating.request': CLERK,
  'rating.pending': DEVICE_ONLY,
  'rating.submit': DEVICE_ONLY,
  'rating.list': FEEDBACK_DESK,
  // Filed by the rated clerk only, decided by a supervisor (or the hall administrator) who is not them: checked in the core.
  'rating.appeal.file': CLERK,
  'rating.appeal.decide': ['supervisor', 'hall_admin'],
  // The leader pane signs in against its own encrypted store; these open and close that session.
  'leader.session.status': OPEN,
  'leader.session.login': OPEN,
  'leader.session.lock': OPEN,
  'leader.password.change': ['leader'],
  'leader.schedule.list': ['leader'],
  'leader.briefing.list': ['leader'],
  'leader.briefing.open': ['leader'],
  'leader.file.list': ['leader'],
  'leader.file.view': ['leader'],
  'leader.action': ['leader'],
  'leader.audit.verify': ['leader', 'hall_admin'],
  'leader.admin.enrol': HALL_ADMIN,
  'leader.admin.import': HALL_ADMIN,
  'leader.admin.storage': HALL_ADMIN,
  'sync.status': HALL_ADMIN,
  // A new device has no accounts until it is enrolled: central's one-time code is the proof then. Once
  // the device has a hall administrator, the core asks for their sign-in (identity.session's `setup`).
  'sync.enroll': OPEN,
  'sync.now': HALL_ADMIN,
  'sync.applicant.lookup': DESK,
  'central.admin.signIn': HALL_ADMIN,
  'central.admin.halls': HALL_ADMIN,
  'central.admin.createHall': HALL_ADMIN,
  'central.admin.enrollmentCode': HALL_ADMIN,
  'central.admin.putRef': HALL_ADMIN,
  'central.admin.putClerk': HALL_ADMIN,
  'insight.dashboard': OVERSIGHT,
  'queue.insight.tickets': OVERSIGHT,
  'idcard.read': CLERK,
  'idcard.ticket.issue': DEVICE_ONLY,
  'idcard.appointment.checkIn': DEVICE_ONLY,
  'idcard.hub.ticket.issue': DEVICE_ONLY,
  'idcard.hub.appointment.checkIn': DEVICE_ONLY,
} as const satisfies Record<MethodName, typeof OPEN | readonly StaffRole[]>;

/**
 * Methods whose state is the hall's, kept on its hub: the queue and the staff accounts (a hall
 * administrator's clerk is one account for every counter). A hall device forwards these to its hub.
 */
export const isHubServed = (method: MethodName): boolean =>
  (method.startsWith('queue.') && method !== 'queue.counter.signIn') || method.startsWith('staff.');

/**
 * What a hall device calls on its hub for its pages, having checked the person itself: the hub-served
 * methods and the two sign-ins it relays. Nothing else passes on a device token's word alone.
 */
export const isDelegable = (method: MethodName): boolean =>
  isHubServed(method) || method === 'queue.counter.signIn' || method === 'identity.signIn';

/** Who is calling, as far as the access tables care. */
export interface Acting {
  role: Role;
  /** The signed-in person's staff roles; null when nobody is signed in on this session. */
  staffRoles: readonly StaffRole[] | null;
  /** A bound device role's binding holds (a rating screen is paired). */
  bound: boolean;
  /**
   * A hall device calling its hub with its own token: that device's core checked the person before it
   * forwarded the call, and the hub holds the device (not a page) to account. Only for delegable methods.
   */
  delegated: boolean;
}

export interface Refusal {
  code: 'FORBIDDEN' | 'SIGN_IN_REQUIRED';
  reason: 'WRONG_ROLE' | 'STAFF_ROLE_REQUIRED' | 'SIGN_IN_REQUIRED' | 'NOT_PAIRED';
  message: string;
}

/** The one access decision: window role first, then the person (or the device's binding). Null: allowed. */
export function authorize(method: MethodName, who: Acting): Refusal | null {
  if (!mayCall(who.role, method)) {
    return { code: 'FORBIDDEN', reason: 'WRONG_ROLE', message: `role "${who.role}" may not call "${method}"` };
  }
  const staff: typeof OPEN | readonly StaffRole[] = METHOD_STAFF[method];
  if (staff === OPEN || (who.delegated && isDelegable(method))) return null;
  if (isDeviceRole(who.role)) {
    if ((BOUND_DEVICE_ROLES as readonly Role[]).includes(who.role) && !who.bound) {
      return { code: 'SIGN_IN_REQUIRED', reason: 'NOT_PAIRED', message: 'pair this screen with a counter first' };
    }
    return null;
  }
  if (!who.staffRoles) {
    return { code: 'SIGN_IN_REQUIRED', reason: 'SIGN_IN_REQUIRED', message: `sign in before calling "${method}"` };
  }
  if (!who.staffRoles.some((r) => staff.includes(r))) {
    return {
      code: 'FORBIDDEN',
      reason: 'STAFF_ROLE_REQUIRED',
      message: `"${method}" needs one of: ${staff.join(', ')}`,
    };
  }
  return null;
}

export function mayCall(role: Role, method: MethodName): boolean {
  return (METHOD_ROLES[method] as readonly Role[]).includes(role);
}

export function methodsForRole(role: Role): MethodName[] {
  return (Object.keys(METHOD_ROLES) as MethodName[]).filter((m) => mayCall(role, m));
}

export function eventsForRole(role: Role): EventName[] {
  return (Object.keys(EVENT_ROLES) as EventName[]).filter((e) => (EVENT_ROLES[e] as readonly Role[]).includes(role));
}
