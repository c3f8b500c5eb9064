import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { HALL_GRANTABLE_ROLES } from '@shared/identity/staff';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { auditAdmin } from './audit';
import {
  departmentsFitRoles,
  rolesFitHalls,
  type staffCreateSchema,
  type staffUpdateSchema,
} from '@shared/identity/staff-input';
import { hashSecret } from './secret-hash';
import { IdentityError } from './sign-in';
import { auditView, publicStaff, writeStaff } from './staff-refs';
import { staffStore, type StaffRecord, type StaffWrite } from './staff-store';
import { newTotpEnrolment } from './totp-secret';

const GRANTABLE: ReadonlySet<string> = new Set(HALL_GRANTABLE_ROLES);

export const isCentralAdmin = (a: StaffRecord) => a.roles.includes('central_admin');
/** The halls an administrator acts for: null is every hall (a central administrator). */
export const adminHalls = (a: StaffRecord): string[] | null =>
  isCentralAdmin(a) ? null : a.roles.includes('hall_admin') ? a.hallIds : [];
export const mayActInHall = (a: StaffRecord, hallId: string | null) => {
  const halls = adminHalls(a);
  return halls === null || (hallId !== null && halls.includes(hallId));
};

const forbidden = (message: string) => new IdentityError(403, 'FORBIDDEN', message);

/** A hall administrator manages clerks and supervisors of their own halls only, never another administrator. */
function checkScope(actor: StaffRecord, s: Pick<StaffWrite, 'roles' | 'hallIds'>) {
  if (isCentralAdmin(actor)) return;
  const halls = adminHalls(actor) ?? [];
  if (!s.roles.every((r) => GRANTABLE.has(r))) throw forbidden('a hall administrator grants clerk and supervisor only');
  if (s.hallIds.length === 0 || !s.hallIds.every((h) => halls.includes(h))) {
    throw forbidden('a hall administrator manages the people of their own hall only');
  }
}

function checkShape(s: Pick<StaffWrite, 'roles' | 'hallIds' | 'departmentIds'>) {
  if (!rolesFitHalls(s))
    throw new IdentityError(400, 'INVALID_INPUT', 'central roles have no halls; hall roles need halls');
  if (!departmentsFitRoles(s)) {
    const message = 'a department handler needs at least one department; other roles have none';
    throw new IdentityError(400, 'INVALID_INPUT', message, { fields: { departmentIds: message } });
  }
}

/** Departments are the catalog's: each id newly given must be a live `catalog.department` row of some hall or all. */
async function checkDepartmentsExist(tx: Tx, departmentIds: string[], before: string[] = []) {
  const added = departmentIds.filter((d) => !before.includes(d));
  const known = await staffStore.liveDepartments(tx, added);
  const unknown = added.filter((d) => !known.includes(d));
  if (unknown.length > 0) {
    const message = `unknown department: ${unknown.join(', ')}`;
    throw new IdentityError(400, 'INVALID_INPUT', message, { fields: { departmentIds: message } });
  }
}

async function checkHallsExist(tx: Tx, hallIds: string[]) {
  const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM halls WHERE id = ANY($1::uuid[])', [
    hallIds,
  ]);
  if (rows[0]!.n !== hallIds.length) throw new IdentityError(404, 'NOT_FOUND', 'unknown hall');
}

const UNIQUE_VIOLATION = '23505';

async function change(
  db: Db,
  req: FastifyRequest,
  actor: StaffRecord,
  id: string,
  action: string,
  fn: (before: StaffRecord) => Promise<StaffWrite> | StaffWrite,
) {
  return inTransaction(db, async (tx) => {
    const before = await staffStore.byId(tx, id, true);
    if (!before) throw new IdentityError(404, 'NOT_FOUND', 'unknown person');
    checkScope(actor, before);
    const next = await fn(before);
    checkShape(next);
    checkScope(actor, next);
    await checkHallsExist(tx, next.hallIds);
    await checkDepartmentsExist(tx, next.departmentIds, before.departmentIds);
    await writeStaff(tx, next, before);
    // A new password or authenticator shuts out whoever knew the old one, as disabling shuts out the person.
    if (!next.enabled || next.passwordHash !== before.passwordHash || next.totpSecret !== before.totpSecret) {
      await staffStore.endSessionsOf(tx, id);
    }
    await auditAdmin(
      tx,
      req,
      { staffId: actor.id, login: actor.login },
      {
        action,
        entity: `staff:${id}`,
        hallId: next.hallIds[0] ?? before.hallIds[0] ?? null,
        before: auditView(before),
        after: auditView(next),
      },
    );
    return publicStaff((await staffStore.byId(tx, id))!);
  });
}

/** What a list of people is narrowed to, besides the halls the administrator acts for. */
export interface StaffFilter {
  hallId?: string;
  role?: string;
  enabled?: boolean;
}

/** A new person's id (a leader's devices and content name them by `leaderIdOf` this id). */
const newStaffId = () => `s-${crypto.randomBytes(8).toString('hex')}`;

export const staffAdmin = {
  async list(db: Db, actor: StaffRecord, f: StaffFilter = {}) {
    const halls = adminHalls(actor);
    if (f.hallId && !mayActInHall(actor, f.hallId)) throw forbidden('not your hall');
    return (await staffStore.list(db, f.hallId ? [f.hallId] : halls))
      .filter((s) => (f.role === undefined || s.roles.includes(f.role)) && (f.enabled ?? s.enabled) === s.enabled)
      .map(publicStaff);
  },

  async create(db: Db, req: FastifyRequest, actor: StaffRecord, input: z.infer<typeof staffCreateSchema>) {
    checkScope(actor, input);
    const pinHash = input.pin ? await hashSecret(input.pin) : null;
    const next: StaffWrite = {
      id: input.id ?? newStaffId(),
      login: input.login,
      name: input.name,
      roles: input.roles,
      hallIds: input.hallIds,
      departmentIds: input.departmentIds,
      enabled: input.enabled,
      pinHash,
      passwordHash: null,
      totpSecret: null,
      source: 'central',
    };
    try {
      return await inTransaction(db, async (tx) => {
        if (await staffStore.byId(tx, next.id)) throw new IdentityError(409, 'STAFF_ID_TAKEN', 'this id is taken');
        await checkHallsExist(tx, next.hallIds);
        await checkDepartmentsExist(tx, next.departmentIds);
        await writeStaff(tx, next, undefined);
        await auditAdmin(
          tx,
          req,
          { staffId: actor.id, login: actor.login },
          {
            action: 'staff_created',
            entity: `staff:${next.id}`,
            hallId: next.hallIds[0] ?? null,
            after: auditView(next),
          },
        );
        return publicStaff((await staffStore.byId(tx, next.id))!);
      });
    } catch (e) {
      if ((e as { code?: string }).code === UNIQUE_VIOLATION)
        throw new IdentityError(409, 'LOGIN_TAKEN', 'this login is taken');
      throw e;
    }
  },

  update: (db: Db, req: FastifyRequest, actor: StaffRecord, id: string, input: z.infer<typeof staffUpdateSchema>) =>
    change(db, req, actor, id, input.roles ? 'role_changed' : 'staff_changed', (b) => {
      if (id === actor.id && (input.roles || input.enabled === false)) {
        throw forbidden('nobody changes their own roles or disables themselves');
      }
      return {
        ...b,
        name: input.name ?? b.name,
        roles: input.roles ?? b.roles,
        hallIds: input.hallIds ?? b.hallIds,
        departmentIds: input.departmentIds ?? b.departmentIds,
        enabled: input.enabled ?? b.enabled,
        source: 'central',
      };
    }),

  async resetPin(db: Db, req: FastifyRequest, actor: StaffRecord, id: string, pin: string) {
    const pinHash = await hashSecret(pin);
    return change(db, req, actor, id, 'pin_reset', (b) => ({ ...b, pinHash, source: 'central' }));
  },

  /** A new password always comes with a new authenticator: whoever knew the old one is out. */
  async resetPassword(db: Db, req: FastifyRequest, actor: StaffRecord, id: string, password: string) {
    const passwordHash = await hashSecret(password);
    let enrolment: { totpSecret: string; otpauthUri: string } | undefined;
    const staff = await change(db, req, actor, id, 'password_reset', (b) => {
      enrolment = newTotpEnrolment(b.login);
      return { ...b, passwordHash, totpSecret: enrolment.totpSecret, source: 'central' };
    });
    return { staff, ...enrolment! };
  },

  /** A new authenticator for the same password (a lost phone); only a person who signs in with a password has one. */
  async resetTotp(db: Db, req: FastifyRequest, actor: StaffRecord, id: string) {
    let enrolment: { totpSecret: string; otpauthUri: string } | undefined;
    const staff = await change(db, req, actor, id, 'totp_reset', (b) => {
      if (b.passwordHash === null) {
        throw new IdentityError(
          409,
          'NO_PASSWORD',
          'this person has no password: set one, the authenticator comes with it',
        );
      }
      enrolment = newTotpEnrolment(b.login);
      return { ...b, totpSecret: enrolment.totpSecret, source: 'central' };
    });
    return { staff, ...enrolment! };
  },
};
