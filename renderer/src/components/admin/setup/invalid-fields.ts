import type { z } from 'zod';
import { ApiCallError } from '../../../api/api-call-error';

/**
 * The fields a form value fails its contract schema on: the same zod schema the core checks with, so the
 * form refuses exactly what the core would. Only the listed fields count; the rest are not on the form.
 */
export function invalidFields<F extends string>(schema: z.ZodType, value: unknown, fields: readonly F[]): F[] {
  const r = schema.safeParse(value);
  return r.success
    ? []
    : pick(
        r.error.issues.map((i) => String(i.path[0] ?? '')),
        fields,
      );
}

/** The fields the core's INVALID_INPUT refusal names (its issue paths are dotted strings). */
export function refusedFields<F extends string>(e: unknown, fields: readonly F[]): F[] {
  if (!(e instanceof ApiCallError) || e.code !== 'INVALID_INPUT') return [];
  const issues = (e.details as { issues?: { path?: unknown }[] } | undefined)?.issues ?? [];
  return pick(
    issues.map((i) => String(i.path ?? '').split('.')[0] ?? ''),
    fields,
  );
}

const pick = <F extends string>(paths: string[], fields: readonly F[]): F[] => fields.filter((f) => paths.includes(f));

/** The reason the core gave for refusing (e.g. PREFIX_TAKEN), if any. */
export const refusalReason = (e: unknown): string | undefined =>
  e instanceof ApiCallError ? (e.details as { reason?: string } | null | undefined)?.reason : undefined;

/** A fresh id for a new row: ids are opaque to people, and the contract allows letters, digits and dashes. */
export const newId = (kind: string) => `${kind}-${crypto.randomUUID().slice(0, 8)}`;
