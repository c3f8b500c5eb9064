import { useI18n } from 'vue-i18n';
import { formatHallTime, type HallTimeStyle } from '@shared/format/hall-time';
import { useSystemStore } from '../stores/system';

/**
 * Formats instants as the hall's wall clock in the page's language (or the one given: official documents
 * are Chinese). The zone is the one `zone` returns (a dashboard carries its own), else the device's hall zone.
 */
export function useHallTime(zone?: () => string | undefined) {
  const { locale } = useI18n();
  const system = useSystemStore();
  return (at: string | Date, style: HallTimeStyle = 'long', lang: string = locale.value): string =>
    formatHallTime(at, zone?.() ?? system.timeZone, lang, style);
}
