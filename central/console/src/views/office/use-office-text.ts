import { useI18n } from 'vue-i18n';
import { formatHallTime, type HallTimeStyle } from '@shared/format/hall-time';
import { ConsoleApiError } from '../../api/console-api-error';
import { useErrorText } from '../../composables/use-error-text';
import { useOfficeStore } from '../../stores/office';

const TYPE_WORDS = { 'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpeg' } as const;

/** Words the office's pages share: times in the leader's hall clock, sizes, file types, refusals. */
export function useOfficeText() {
  const { t, te, locale } = useI18n();
  const store = useOfficeStore();
  const errorText = useErrorText();
  return {
    /** An instant as the leader's hall clock shows it ('' for text that is no instant). */
    when: (iso: string, style: HallTimeStyle = 'long') => formatHallTime(iso, store.timeZone, locale.value, style),
    size: (bytes: number) =>
      bytes < 1024 * 1024
        ? t('office.files.kib', { n: Math.max(1, Math.round(bytes / 1024)) })
        : t('office.files.mib', { n: (bytes / (1024 * 1024)).toFixed(1) }),
    typeWord: (mime: keyof typeof TYPE_WORDS) => t(`office.files.types.${TYPE_WORDS[mime]}`),
    /** A refusal in words: the office's own codes first, then the console's. */
    refusal: (e: unknown) =>
      e instanceof ConsoleApiError && te(`office.errors.${e.code}`) ? t(`office.errors.${e.code}`) : errorText(e),
  };
}
