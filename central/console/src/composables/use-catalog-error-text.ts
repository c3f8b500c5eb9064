import { useI18n } from 'vue-i18n';
import { ConsoleApiError } from '../api/console-api-error';
import { useErrorText } from './use-error-text';

/** A refusal of the catalog or calendar routes in the person's words: their own codes first, then the console's. */
export function useCatalogErrorText() {
  const { t, te } = useI18n();
  const errorText = useErrorText();
  return (e: unknown): string =>
    e instanceof ConsoleApiError && te(`catalog.codes.${e.code}`) ? t(`catalog.codes.${e.code}`) : errorText(e);
}
