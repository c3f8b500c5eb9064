import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { HallCreateInput, HallUpdateInput } from '@shared/console/administration';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { auditAdmin } from '../identity/audit';
import { IdentityError } from '../identity/sign-in';
import { isCentralAdmin, mayActInHall } from '../identity/staff-admin';
import type { StaffRecord } from '../identity/staff-store';
import { hallStore, type Hall } from '../store/hall-store';
import { referenceStore } from '../store/reference-store';

const UNIQUE_VIOLATION = '23505';
const who = (actor: StaffRecord) => ({ staffId: actor.id, login: actor.login });

/** The hall's zone as its devices get it: one `hall.zone` row of the hall, with the next version. */
const publishZone = (tx: Tx, hall: Pick<Hall, 'id' | 'timeZone'>) =>
  referenceStore.put(tx, {
    kind: 'hall.zone',
    id: hall.id,
    hallId: hall.id,
    leaderId: null,
    deleted: false,
    data: { timeZone: hall.timeZone },
  });

/**
 * Halls: a central administrator creates them; an administrator of a hall renames it and sets its zone.
 * Every write publishes the hall's zone to its devices and leaves an audit row, in one transaction.
 */
export const hallAdmin = {
  async create(db: Db, req: FastifyRequest, actor: StaffRecord, input: Required<HallCreateInput>): Promise<Hall> {
    if (!isCentralAdmin(actor)) throw new IdentityError(403, 'FORBIDDEN', 'only a central administrator creates halls');
    try {
      return await inTransaction(db, async (tx) => {
        const hall = await hallStore.createHall(tx, { id: crypto.randomUUID(), ...input });
        await publishZone(tx, hall);
        await auditAdmin(tx, req, who(actor), {
          action: 'hall_created',
          entity: `hall:${hall.id}`,
          hallId: hall.id,
          after: hall,
        });
        return hall;
      });
    } catch (e) {
      if ((e as { code?: string }).code === UNIQUE_VIOLATION) {
        const message = 'another hall has this code';
        throw new IdentityError(409, 'HALL_CODE_TAKEN', message, { fields: { code: message } });
      }
      throw e;
    }
  },

  async update(db: Db, req: FastifyRequest, actor: StaffRecord, id: string, input: HallUpdateInput): Promise<Hall> {
    if (!mayActInHall(actor, id)) throw new IdentityError(403, 'FORBIDDEN', 'not an administrator of this hall');
    return inTransaction(db, async (tx) => {
      const before = await hallStore.hall(tx, id, true);
      if (!before) throw new IdentityError(404, 'NOT_FOUND', 'no such hall');
      const after = { ...before, ...input };
      await hallStore.updateHall(tx, id, after);
      if (after.timeZone !== before.timeZone) await publishZone(tx, after);
      await auditAdmin(tx, req, who(actor), {
        action: 'hall_changed',
        entity: `hall:${id}`,
        hallId: id,
        before,
        after,
      });
      return after;
    });
  },
};
