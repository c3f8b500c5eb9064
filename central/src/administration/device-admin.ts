import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { auditAdmin } from '../identity/audit';
import { IdentityError } from '../identity/sign-in';
import { mayActInHall } from '../identity/staff-admin';
import type { StaffRecord } from '../identity/staff-store';
import { hallStore, type Device } from '../store/hall-store';
import type { HallLeader } from '@shared/console/administration';
import type { DeviceRole } from '@shared/sync/wire';
import { ZONE_OF_ROLE, type SecurityZone } from '@shared/sync/zones';
import { leaderIdOf } from '../office/leader-id';
import { administrationStore } from './administration-store';

// Crockford-like alphabet without look-alikes (no I, O, 0, 1): read aloud and typed by a person.
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function enrollmentCode(): string {
  const bytes = crypto.randomBytes(12);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]);
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

const who = (actor: StaffRecord) => ({ staffId: actor.id, login: actor.login });
const notYourHall = () => new IdentityError(403, 'FORBIDDEN', 'not an administrator of this hall');

export interface CodeRequest {
  role: DeviceRole;
  leaderId: string | null;
  /** The administrator's override of the role's security zone; null: the role's. */
  zone: SecurityZone | null;
  ttlMinutes: number;
}

/**
 * The leaders a leader device of the hall may be enrolled for: its enabled leader accounts, each under the
 * leader id its pane and central's leader content use (`leaderIdOf`, the leader's office's too).
 */
export async function hallLeaders(q: Db | Tx, hallId: string): Promise<HallLeader[]> {
  const rows = await administrationStore.hallLeaders(q, hallId, { enabledOnly: true });
  return rows.map((r) => ({ id: leaderIdOf(r.staffId), login: r.login, name: r.name }));
}

/** Each leader id of the hall's leader accounts (disabled ones too) with the leader's name. */
export async function leaderNames(q: Db | Tx, hallId: string): Promise<Map<string, string>> {
  const rows = await administrationStore.hallLeaders(q, hallId, { enabledOnly: false });
  return new Map(rows.map((r) => [leaderIdOf(r.staffId), r.name]));
}

async function checkLeader(tx: Tx, hallId: string, leaderId: string) {
  if (!(await hallLeaders(tx, hallId)).some((l) => l.id === leaderId)) {
    const message = 'not an enabled leader of this hall';
    throw new IdentityError(400, 'INVALID_INPUT', message, { fields: { leaderId: message } });
  }
}

/** Enrolment codes and revocation, the admin API's and the console's: one transaction and audit row each. */
export const deviceAdmin = {
  /**
   * A one-time code for one device of the hall (only its hash is kept). A leader PC's names an enabled
   * leader account of the hall, whichever API asks: a leader id nobody holds, another hall's or a disabled
   * one's would enrol a PC that pulls content for no one entitled to it.
   */
  async createCode(
    db: Db,
    req: FastifyRequest,
    actor: StaffRecord,
    hallId: string,
    input: CodeRequest,
  ): Promise<{ code: string; role: string; zone: SecurityZone; expiresAt: string }> {
    if (!mayActInHall(actor, hallId)) throw notYourHall();
    const code = enrollmentCode();
    const expiresAt = new Date(Date.now() + input.ttlMinutes * 60_000);
    await inTransaction(db, async (tx) => {
      if (!(await hallStore.hall(tx, hallId))) throw new IdentityError(404, 'NOT_FOUND', 'no such hall');
      if (input.leaderId !== null) await checkLeader(tx, hallId, input.leaderId);
      const c = { code, hallId, role: input.role, leaderId: input.leaderId, zone: input.zone, expiresAt };
      await hallStore.createCode(tx, c);
      await auditAdmin(tx, req, who(actor), {
        action: 'admin_write',
        entity: `enrollment-code:${input.role}`,
        hallId,
        after: c,
      });
    });
    const zone = input.zone ?? ZONE_OF_ROLE[input.role];
    return { code, role: input.role, zone, expiresAt: expiresAt.toISOString() };
  },

  /** Its token is refused from now on; every central process closes its live streams. */
  async revoke(db: Db, req: FastifyRequest, actor: StaffRecord, deviceId: string): Promise<Device> {
    return inTransaction(db, async (tx) => {
      const device = await hallStore.device(tx, deviceId);
      if (!device) throw new IdentityError(404, 'NOT_FOUND', 'no such device');
      if (!mayActInHall(actor, device.hallId)) throw notYourHall();
      await hallStore.revoke(tx, deviceId);
      await auditAdmin(tx, req, who(actor), {
        action: 'admin_write',
        entity: `device:${device.id}`,
        hallId: device.hallId,
        before: device,
        after: { ...device, revoked: true },
      });
      return { ...device, revoked: true };
    });
  },
};
