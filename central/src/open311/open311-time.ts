import { dateFormatter } from '@shared/format/date-formatters';
import { localDate, localTime, startOfLocalDate } from '@shared/queue/hall-day';

/*
 * Open311's times are written, and its dates read, in the zone of the hall asked about (the jurisdiction):
 * the zone central holds for the hall (halls.time_zone).
 */

/** The zone's offset from UTC at an instant, as ISO 8601 writes it: +08:00. */
function offsetAt(instant: Date, timeZone: string): string {
  const name = dateFormatter('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(instant)
    .find((p) => p.type === 'timeZoneName')!.value;
  // "GMT+08:00"; plain "GMT" for UTC itself.
  return name === 'GMT' ? '+00:00' : name.slice(3);
}

/** An instant as the hall's wall clock with its offset, to the second: 2026-03-02T10:05:00+08:00. */
export function hallDateTime(instant: Date, timeZone: string): string {
  const seconds = String(instant.getUTCSeconds()).padStart(2, '0');
  return `${localDate(instant, timeZone)}T${localTime(instant, timeZone)}:${seconds}${offsetAt(instant, timeZone)}`;
}

/** The first instant after a hall date: a date-only `end_date` takes in its whole day. */
export function afterHallDate(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return startOfLocalDate(next, timeZone);
}

/** The last second of a hall date: a promised date (承诺办结日) as GeoReport's `expected_datetime`. */
export function endOfHallDate(date: string, timeZone: string): string {
  return hallDateTime(new Date(afterHallDate(date, timeZone).getTime() - 1000), timeZone);
}

/** Where a hall date begins, or (for an ISO datetime) that instant. */
export function startOf(value: string, timeZone: string): Date {
  return value.includes('T') ? new Date(value) : startOfLocalDate(value, timeZone);
}
