import { ApiCallError } from './api-call-error';

/**
 * The i18n key of a failed call's general sentence (pages try their own refusal reasons first): the error
 * code's, except where a reason changes what a person must do. A full disk is UNAVAILABLE like a hub that
 * is down, but waiting does not help: someone has to free space.
 */
export function errorKey(e: unknown): string {
  if (!(e instanceof ApiCallError)) return 'errors.unknown';
  if (isDiskFull(e)) return 'errors.DISK_FULL';
  return `errors.${e.code}`;
}

const isDiskFull = (e: ApiCallError) =>
  e.code === 'UNAVAILABLE' && (e.details as { reason?: unknown } | null | undefined)?.reason === 'DISK_FULL';

/** A failure that the same call, sent again in a moment, may get past: the core or hub was unreachable. */
export const isTransient = (e: unknown) => e instanceof ApiCallError && e.code === 'UNAVAILABLE' && !isDiskFull(e);
