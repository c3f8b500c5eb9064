import type { MutationDef } from '../registry';

/**
 * Every mutation a device may push, as `name@version` → args schema. Each domain adds its file's
 * definitions here (e.g. the intake's `applicant.upsert@1`, `case.accept@1`); central validates every
 * pushed mutation against this list and rejects (without blocking the queue) what it does not know.
 */
export const mutationDefs: readonly MutationDef[] = [];
