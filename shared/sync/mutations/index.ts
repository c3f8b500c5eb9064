import type { z } from 'zod';
import { defineMutation, type MutationDef } from '../registry';
import { leaderMutations } from './leader';

/** A domain's `name@version` → args map as registry definitions. */
const defsOf = (map: Record<string, z.ZodType>): MutationDef[] =>
  Object.entries(map).map(([key, args]) => {
    const [name, version] = key.split('@');
    return defineMutation(name!, Number(version), args);
  });

/**
 * Every mutation a device may push, as `name@version` → args schema. Each domain adds its file's
 * definitions here (e.g. the intake's `applicant.upsert@1`, `case.accept@1`); central validates every
 * pushed mutation against this list and rejects (without blocking the queue) what it does not know.
 */
export const mutationDefs: readonly MutationDef[] = [...defsOf(leaderMutations)];
