import { ApiCallError } from './api-call-error';

/**
 * The i18n key of a failed call's general sentence (pages try their own refusal reasons first): the error
 * code's, except where a reason changes what a person must do. A full disk is UNAVAILABLE like a hub that
 * is down, but waiting does not help: someone has to free space.
 */
export function errorKey(e: unknown): string {
  if (!(e instanceof ApiCallError)) return 'errors.unknown';
  const reason = (e.details as { reason?: unknown } | null | undefined)?.reason;
  if (e.code === 'UNAVAILABLE' && reason === 'DISK_FULL') return 'errors.DISK_FULL';
  return `errors.${e.code}`;
}
