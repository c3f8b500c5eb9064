import { ApiCallError } from '../api/api-call-error';
import { errorKey } from '../api/error-key';
import { i18n } from '../i18n';
import type { Notice } from './counter';

/** Where the intake, feedback and rating refusals have their sentences, by the refusal's reason. */
const REASON_SCOPES = ['intakePage.reasons', 'feedbackPage.reasons', 'feedbackPage.refusals', 'ratingPage.refusals'];

/** A refused call as an i18n key: the page's sentence for the refusal reason when it has one. */
export function describeIntakeError(e: unknown): Notice {
  if (!(e instanceof ApiCallError)) return { key: 'errors.unknown' };
  const reason = (e.details as { reason?: unknown } | undefined)?.reason;
  const key = REASON_SCOPES.map((scope) => `${scope}.${String(reason)}`).find((k) => i18n.global.te(k));
  return typeof reason === 'string' && key ? { key } : { key: errorKey(e) };
}
