import { HALL_STAFF_ROLES, type Staff } from '@shared/identity/staff';
import type { Tx } from '../db/pool';
import { referenceStore } from '../store/reference-store';
import { staffStore, type StaffRecord, type StaffWrite } from './staff-store';

const HALL_ROLES: ReadonlySet<string> = new Set(HALL_STAFF_ROLES);

/** The `staff` reference row a hall's devices get of a person (credentials stripped later, per device). */
export function staffRefData(s: StaffWrite) {
  return {
    login: s.login,
    name: s.name,
    roles: s.roles.filter((r) => HALL_ROLES.has(r)),
    enabled: s.enabled,
    pinHash: s.pinHash,
    passwordHash: s.passwordHash,
    totpSecret: s.totpSecret,
  };
}

/** Halls whose devices hold a row of this person: only a person with a hall role belongs to any. */
const hallsOf = (s: Pick<StaffWrite, 'roles' | 'hallIds'> | undefined) =>
  s && s.roles.some((r) => HALL_ROLES.has(r)) ? s.hallIds : [];

/**
 * Writes the account and, in the same transaction, its `staff` reference rows: one per hall of the
 * person, a tombstone for each hall they left, each with its own version of the ref clock.
 */
export async function writeStaff(tx: Tx, next: StaffWrite, before: StaffRecord | undefined): Promise<void> {
  await staffStore.upsert(tx, next);
  const now = hallsOf(next);
  for (const hallId of now) {
    await referenceStore.put(tx, {
      kind: 'staff',
      id: next.id,
      hallId,
      leaderId: null,
      deleted: false,
      data: staffRefData(next),
    });
  }
  for (const hallId of hallsOf(before).filter((h) => !now.includes(h))) {
    await referenceStore.put(tx, { kind: 'staff', id: next.id, hallId, leaderId: null, deleted: true, data: null });
  }
}

/** A person as a page may see them: never a credential. */
export function publicStaff(s: StaffRecord): Staff & { hallIds: string[]; departmentIds: string[]; locked: boolean } {
  return {
    id: s.id,
    login: s.login,
    name: s.name,
    roles: s.roles as Staff['roles'],
    hallIds: s.hallIds,
    departmentIds: s.departmentIds,
    enabled: s.enabled,
    locked: s.lockedUntil !== null && s.lockedUntil.getTime() > Date.now(),
    hasPin: s.pinHash !== null,
    hasPassword: s.passwordHash !== null,
    hasTotp: s.totpSecret !== null,
    source: s.source,
    updatedAt: s.updatedAt.toISOString(),
  };
}

/** The account without its credentials and lock counters: what an audit row may show. */
export function auditView(s: StaffWrite | StaffRecord | undefined) {
  if (!s) return null;
  return {
    id: s.id,
    login: s.login,
    name: s.name,
    roles: s.roles,
    hallIds: s.hallIds,
    departmentIds: s.departmentIds,
    enabled: s.enabled,
    source: s.source,
    hasPin: s.pinHash !== null,
    hasPassword: s.passwordHash !== null,
    hasTotp: s.totpSecret !== null,
  };
}
