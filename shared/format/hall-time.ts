/**
 * Times on screen and paper are the hall's wall clock: a receipt printed in Shanghai says Shanghai time,
 * whatever zone the PC that prints it is set to.
 */

import { dateFormatter } from './date-formatters';

/** The zone a hall runs in until its queue settings say otherwise (electron/core/services/queue-service.ts). */
export const DEFAULT_HALL_TIME_ZONE = 'Asia/Shanghai';

export type HallTimeStyle =
  /** Date and time to the minute: receipts, tickets, lists. */
  | 'long'
  /** The day alone, written as `long` writes it: a receipt's or report's date. */
  | 'date'
  /** Short date and time: compact lists. */
  | 'short'
  /** Medium date and time: briefing headers. */
  | 'medium'
  /** Hours and minutes. */
  | 'time'
  /** Hours, minutes and seconds: the hall clock. */
  | 'clock'
  /** Month, day and time: a time within the next days. */
  | 'monthDayTime'
  /** Month, day and weekday: a schedule's day heading. */
  | 'dayTitle'
  /** Full date with weekday: the hall clock's date line. */
  | 'fullDate';

const H23 = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;

function optionsOf(style: HallTimeStyle, locale: string): Intl.DateTimeFormatOptions {
  switch (style) {
    case 'long':
      // Chinese pages write 2026-03-02 10:05 (see isoLike); English ones Mar 2, 2026, 10:05.
      return locale.startsWith('zh')
        ? { year: 'numeric', month: '2-digit', day: '2-digit', ...H23 }
        : { year: 'numeric', month: 'short', day: 'numeric', ...H23 };
    case 'date':
      return locale.startsWith('zh')
        ? { year: 'numeric', month: '2-digit', day: '2-digit' }
        : { year: 'numeric', month: 'short', day: 'numeric' };
    case 'short':
      return { dateStyle: 'short', timeStyle: 'short', hourCycle: 'h23' };
    case 'medium':
      return { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' };
    case 'time':
      return H23;
    case 'clock':
      return { ...H23, second: '2-digit' };
    case 'monthDayTime':
      return { month: 'numeric', day: 'numeric', ...H23 };
    case 'dayTitle':
      return { month: 'long', day: 'numeric', weekday: 'short' };
    case 'fullDate':
      return { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' };
  }
}

/**
 * Chinese dates in the one style every page and paper uses: the calendar dates (承诺办结日, a report's
 * day) are ISO `2026-03-02`, so the instants next to them are `2026-03-02 10:05`, not Intl's `2026/03/02`.
 */
const isoLike = (style: HallTimeStyle, locale: string) =>
  locale.startsWith('zh') && (style === 'long' || style === 'date');

/** An instant (ISO text or Date) as the hall's wall clock; '' for a value that is no instant. */
export function formatHallTime(at: string | Date, timeZone: string, locale: string, style: HallTimeStyle): string {
  const instant = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(instant.getTime())) return '';
  const format = dateFormatter(locale, { ...optionsOf(style, locale), timeZone });
  if (!isoLike(style, locale)) return format.format(instant);
  const p = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  const day = `${p.year}-${p.month}-${p.day}`;
  return style === 'date' ? day : `${day} ${p.hour}:${p.minute}`;
}

/** `YYYY-MM-DD HH:mm` in the zone, the same in every language: the leader pane's watermark. */
export function hallStamp(at: string | Date, timeZone: string): string {
  const instant = typeof at === 'string' ? new Date(at) : at;
  const parts = dateFormatter('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...H23,
  })
    .formatToParts(instant)
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
