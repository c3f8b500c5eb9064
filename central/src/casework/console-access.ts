import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsolePerson } from '@shared/console/session';
import type { StaffRole } from '@shared/identity/staff';
import type { Db } from '../db/pool';
import { sendIdentityError } from '../identity/identity-routes';
import { IdentityError, sessionPerson } from '../identity/sign-in';
import type { StaffRecord } from '../identity/staff-store';
import { bearer } from '../routes/auth';

/**
 * Who may use the console: the central roles, and the hall roles that chase casework (a supervisor's
 * complaints and 差评, a hall administrator's and a leader's view of their halls). A clerk works at the counter.
 */
const CONSOLE_ROLES: readonly StaffRole[] = [
  'department_handler',
  'leader_office',
  'central_admin',
  'supervisor',
  'leader',
  'hall_admin',
];
export const mayUseConsole = (s: Pick<StaffRecord, 'roles'>) =>
  s.roles.some((r) => (CONSOLE_ROLES as readonly string[]).includes(r));

export const consolePersonOf = (s: StaffRecord): ConsolePerson => ({
  staffId: s.id,
  login: s.login,
  name: s.name,
  roles: s.roles as StaffRole[],
  hallIds: s.hallIds,
  departmentIds: s.departmentIds,
});

/**
 * What a person sees at the console: every hall (the leader's office, central administrators), the
 * halls they work in (hall roles), and the departments they handle, in every hall.
 */
export interface ConsoleScope {
  all: boolean;
  hallIds: string[];
  departmentIds: string[];
}

export function scopeOf(s: StaffRecord): ConsoleScope {
  const all = s.roles.includes('central_admin') || s.roles.includes('leader_office');
  const hallRoles = s.roles.some((r) => r === 'supervisor' || r === 'leader' || r === 'hall_admin');
  return {
    all,
    hallIds: hallRoles ? s.hallIds : [],
    departmentIds: s.roles.includes('department_handler') ? s.departmentIds : [],
  };
}

export const seesCase = (scope: ConsoleScope, c: { hallId: string; departmentId: string | null }) =>
  scope.all ||
  scope.hallIds.includes(c.hallId) ||
  (c.departmentId !== null && scope.departmentIds.includes(c.departmentId));

/** A handler of this department: the only person who moves its cases and answers what is assigned to it. */
export const handlesDepartment = (s: StaffRecord, departmentId: string | null) =>
  departmentId !== null && s.roles.includes('department_handler') && s.departmentIds.includes(departmentId);

/** A supervisor (督查) of this hall: assigns, revisits, closes and reopens its feedback. */
export const supervisesHall = (s: StaffRecord, hallId: string) =>
  s.roles.includes('supervisor') && s.hallIds.includes(hallId);

/** Every console route but the sign-in: a live session of a person who may use the console. */
export const requireConsole = (db: Db) => async (req: FastifyRequest, reply: FastifyReply) => {
  try {
    const actor = await sessionPerson(db, bearer(req));
    if (!mayUseConsole(actor)) throw new IdentityError(403, 'FORBIDDEN', 'this role has no access to the console');
    req.actor = actor;
  } catch (e) {
    return sendIdentityError(reply, e);
  }
};

export const forbidden = (reply: FastifyReply, message: string) =>
  reply.code(403).send({ error: 'FORBIDDEN', code: 'FORBIDDEN', message });
export const notFound = (reply: FastifyReply, message: string) =>
  reply.code(404).send({ error: 'NOT_FOUND', code: 'NOT_FOUND', message });
