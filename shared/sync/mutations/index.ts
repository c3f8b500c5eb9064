import type { z } from 'zod';
import { defineMutation, type MutationDef } from '../registry';
import { INTAKE_MUTATIONS } from './intake';
import { leaderMutations } from './leader';

/** Turns a domain's `name@version` → args map (its single source of truth) into registry entries. */
export function mutationDefsOf(map: Readonly<Record<string, z.ZodType>>): MutationDef[] {
  return Object.entries(map).map(([key, args]) => {
    const at = key.lastIndexOf('@');
    const version = Number(key.slice(at + 1));
    if (at <= 0 || !Number.isInteger(version) || version < 1)
      throw new Error(`mutation key "${key}" is not name@version`);
    return defineMutation(key.slice(0, at), version, args);
  });
}

/**
 * Every mutation a device may push. Central validates every pushed mutation against this list and
 * rejects (without blocking the queue) what it does not know; `tests/unit/sync-mutation-registry.test.ts`
 * checks that every `append` in the core names one of these.
 */
export const mutationDefs: readonly MutationDef[] = [
  ...mutationDefsOf(INTAKE_MUTATIONS),
  ...mutationDefsOf(leaderMutations),
];
