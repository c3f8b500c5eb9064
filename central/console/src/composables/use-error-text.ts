import { useI18n } from 'vue-i18n';
import { ConsoleApiError } from '../api/console-api-error';

/** A refusal in the person's words, by its stable code; an unknown code is named, never hidden. */
export function useErrorText() {
  const { t, te } = useI18n();
  return (e: unknown): string => {
    if (!(e instanceof ConsoleApiError)) return t('errors.UNKNOWN', { code: e instanceof Error ? e.message : '?' });
    if (e.code === 'ACCOUNT_LOCKED') {
      return e.retryAfterSeconds
        ? t('errors.ACCOUNT_LOCKED', { minutes: Math.max(1, Math.ceil(e.retryAfterSeconds / 60)) })
        : t('errors.ACCOUNT_LOCKED_NO_TIME');
    }
    if (e.status === 403 && !te(`errors.${e.code}`)) return t('errors.FORBIDDEN');
    if (e.status === 404 && !te(`errors.${e.code}`)) return t('errors.NOT_FOUND');
    return te(`errors.${e.code}`) ? t(`errors.${e.code}`) : t('errors.UNKNOWN', { code: e.code });
  };
}
