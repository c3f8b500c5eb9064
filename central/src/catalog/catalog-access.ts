import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CatalogScope } from '@shared/console/catalog';
import type { Db, Tx } from '../db/pool';
import { sendIdentityError } from '../identity/identity-routes';
import { IdentityError } from '../identity/sign-in';
import { adminHalls, isCentralAdmin, mayActInHall } from '../identity/staff-admin';
import type { StaffRecord } from '../identity/staff-store';
import { hallStore } from '../store/hall-store';

/**
 * Which reference rows a list reads: every hall's (`global`), and those of some halls (null: of every
 * hall). SQL in the store takes exactly this.
 */
export interface RowFilter {
  global: boolean;
  hallIds: string[] | null;
}

/** The catalog and the calendar are administered by central administrators and hall administrators alone. */
export const mayAdministerCatalog = (a: StaffRecord) => isCentralAdmin(a) || a.roles.includes('hall_admin');

/** After requireConsole: refuses everyone else. */
export const requireCatalogAdmin = async (req: FastifyRequest, reply: FastifyReply) => {
  if (!mayAdministerCatalog(req.actor!)) {
    return sendIdentityError(
      reply,
      new IdentityError(403, 'FORBIDDEN', 'the catalog is administered by central and hall administrators'),
    );
  }
};

const notYourHall = () => new IdentityError(403, 'FORBIDDEN', 'not an administrator of this hall');

/**
 * The rows a person reads for a scope: a hall administrator sees every hall's rows (their devices receive
 * them) and their own halls'; a central administrator every row.
 */
export function rowFilter(actor: StaffRecord, scope: CatalogScope): RowFilter {
  const halls = adminHalls(actor);
  if (scope === 'global') return { global: true, hallIds: [] };
  if (scope === undefined) return { global: true, hallIds: halls };
  if (!mayActInHall(actor, scope)) throw notYourHall();
  return { global: false, hallIds: [scope] };
}

/** The hall a row is written for: every hall's rows are central's; a hall's, its administrators' too. */
export async function checkWriteScope(tx: Tx | Db, actor: StaffRecord, hallId: string | null): Promise<void> {
  if (!mayActInHall(actor, hallId)) {
    throw hallId === null
      ? new IdentityError(403, 'FORBIDDEN', 'the rows of every hall are written by central administrators')
      : notYourHall();
  }
  if (hallId !== null && !(await hallStore.hall(tx, hallId))) {
    throw new IdentityError(404, 'NOT_FOUND', 'unknown hall', { fields: { hallId: 'unknown hall' } });
  }
}

/** The halls whose devices the person looks after: every hall for a central administrator. */
export async function hallsOf(db: Db, actor: StaffRecord) {
  const halls = adminHalls(actor);
  return (await hallStore.halls(db)).filter((h) => halls === null || halls.includes(h.id));
}
