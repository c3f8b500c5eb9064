import type { z } from 'zod';
import { defineMutation, type MutationDef } from '../registry';
import type { DeviceRole } from '../wire';
import { IDENTITY_MUTATION_ROLES, IDENTITY_MUTATIONS } from './identity';
import { INTAKE_MUTATION_ROLES, INTAKE_MUTATIONS } from './intake';
import { LEADER_MUTATION_ROLES, leaderMutations } from './leader';
import { QUEUE_MUTATION_ROLES, QUEUE_MUTATIONS } from './queue';

/**
 * Turns a domain's `name@version` → args map (its single source of truth) and the roles that write each
 * mutation into registry entries.
 */
export function mutationDefsOf<K extends string>(
  map: Readonly<Record<K, z.ZodType>>,
  roles: Readonly<Record<K, readonly DeviceRole[]>>,
): MutationDef[] {
  return (Object.entries(map) as [K, z.ZodType][]).map(([key, args]) => {
    const at = key.lastIndexOf('@');
    const version = Number(key.slice(at + 1));
    if (at <= 0 || !Number.isInteger(version) || version < 1)
      throw new Error(`mutation key "${key}" is not name@version`);
    return defineMutation(key.slice(0, at), version, args, roles[key]);
  });
}

/**
 * Every mutation a device may push. Central validates every pushed mutation against this list and
 * rejects (without blocking the queue) what it does not know; `tests/unit/sync-mutation-registry.test.ts`
 * checks that every `append` in the core names one of these.
 */
export const mutationDefs: readonly MutationDef[] = [
  ...mutationDefsOf(INTAKE_MUTATIONS, INTAKE_MUTATION_ROLES),
  ...mutationDefsOf(leaderMutations, LEADER_MUTATION_ROLES),
  ...mutationDefsOf(QUEUE_MUTATIONS, QUEUE_MUTATION_ROLES),
  ...mutationDefsOf(IDENTITY_MUTATIONS, IDENTITY_MUTATION_ROLES),
];
