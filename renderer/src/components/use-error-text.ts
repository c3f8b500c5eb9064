import { useI18n } from 'vue-i18n';
import { ApiCallError } from '../api/api-call-error';

/** A failed call as a sentence in the page's language; the code picks the sentence, never server text. */
export function useErrorText() {
  const { t } = useI18n();
  return (e: unknown): string => (e instanceof ApiCallError ? t(`errors.${e.code}`) : t('errors.unknown'));
}
