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
} as const satisfies Record<MethodName, readonly Role[]>;

export const EVENT_ROLES = {
  'hall.profile.changed': ROLES,
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
