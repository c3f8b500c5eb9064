import { useI18n } from 'vue-i18n';
import { errorKey } from '../api/error-key';

/** A failed call as a sentence in the page's language; the code picks the sentence, never server text. */
export function useErrorText() {
  const { t } = useI18n();
  return (e: unknown): string => t(errorKey(e));
}
