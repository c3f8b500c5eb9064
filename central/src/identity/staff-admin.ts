import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { HALL_GRANTABLE_ROLES } from '@shared/identity/staff';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { auditAdmin } from './audit';
import { rolesFitHalls, type staffCreateSchema, type staffUpdateSchema } from './schemas';
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

function checkShape(s: Pick<StaffWrite, 'roles' | 'hallIds'>) {
  if (!rolesFitHalls(s))
    throw new IdentityError(400, 'INVALID_INPUT', 'central roles have no halls; hall roles need halls');
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
    await writeStaff(tx, next, before);
    if (!next.enabled || next.passwordHash !== before.passwordHash) await staffStore.endSessionsOf(tx, id);
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

export const staffAdmin = {
  async list(db: Db, actor: StaffRecord, hallId: string | undefined) {
    const halls = adminHalls(actor);
    if (hallId && !mayActInHall(actor, hallId)) throw forbidden('not your hall');
    return (await staffStore.list(db, hallId ? [hallId] : halls)).map(publicStaff);
  },

  async create(db: Db, req: FastifyRequest, actor: StaffRecord, input: z.infer<typeof staffCreateSchema>) {
    checkScope(actor, input);
    const pinHash = input.pin ? await hashSecret(input.pin) : null;
    const next: StaffWrite = {
      id: input.id ?? `s-${crypto.randomBytes(8).toString('hex')}`,
      login: input.login,
      name: input.name,
      roles: input.roles,
      hallIds: input.hallIds,
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
};
