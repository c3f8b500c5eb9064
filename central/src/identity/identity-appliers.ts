import { HALL_GRANTABLE_ROLES } from '@shared/identity/staff';
import type { Applier } from '../sync/appliers';
import { Rejection } from '../sync/appliers';
import { auditStore } from './audit-store';
import type { AuditRecordArgs, StaffUpsertArgs } from './identity-types';
import { isSecretHash } from './secret-hash';
import { writeStaff } from './staff-refs';
import { staffStore } from './staff-store';

const GRANTABLE: ReadonlySet<string> = new Set(HALL_GRANTABLE_ROLES);

/**
 * `staff.upsert`: a clerk or supervisor a hall administrator wrote on the hub, offline. The hub's hall
 * only, and only people nobody above the hall has touched: central stays the authority on everyone else.
 * `audit.record`: a device's audit row, kept as sent, with whether it continues the device's chain.
 */
export const identityAppliers: Record<string, Applier> = {
  'staff.upsert': async (tx, ctx) => {
    const a = ctx.args as StaffUpsertArgs;
    const hallId = ctx.device.hallId;
    const before = await staffStore.byId(tx, a.staffId, true);
    if (before && before.hallIds.some((h) => h !== hallId)) {
      throw new Rejection('STAFF_OF_ANOTHER_HALL', { staffId: a.staffId });
    }
    if (before && !before.roles.every((r) => GRANTABLE.has(r))) {
      throw new Rejection('STAFF_NOT_HALL_GRANTABLE', { staffId: a.staffId });
    }
    const holder = await staffStore.byLogin(tx, a.login);
    if (holder && holder.id !== a.staffId) throw new Rejection('LOGIN_TAKEN', { login: a.login });
    for (const h of [a.pinHash, a.passwordHash]) {
      if (h !== undefined && !isSecretHash(h)) throw new Rejection('BAD_CREDENTIAL_HASH', { staffId: a.staffId });
    }
    await writeStaff(
      tx,
      {
        id: a.staffId,
        login: a.login,
        name: a.name,
        roles: a.roles,
        hallIds: [hallId],
        departmentIds: [],
        enabled: a.enabled,
        pinHash: a.pinHash ?? before?.pinHash ?? null,
        passwordHash: a.passwordHash ?? before?.passwordHash ?? null,
        // A new password comes with its new authenticator (the hub verifies codes offline): keep that one,
        // never the old secret, which the next pull would otherwise hand back to the hub.
        totpSecret: a.passwordHash !== undefined ? (a.totpSecret ?? null) : (before?.totpSecret ?? null),
        source: 'hall',
      },
      before,
    );
    if (!a.enabled) await staffStore.endSessionsOf(tx, a.staffId);
    return { staffId: a.staffId };
  },
  'audit.record': async (tx, ctx) => {
    const a = ctx.args as AuditRecordArgs;
    const saved = await auditStore.insertDeviceAudit(tx, ctx.device, a);
    if (saved === 'seq-taken') throw new Rejection('AUDIT_SEQ_TAKEN', { seq: a.seq });
    return { seq: a.seq };
  },
};
