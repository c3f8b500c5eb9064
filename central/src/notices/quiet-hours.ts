import { QUIET_HOURS } from '@shared/notices/notices';
import { localDate, localTime, startOfLocalDate } from '@shared/queue/hall-day';

const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** 08:00 on a date in the zone (midnight there, then the hours: a zone that changes its clock at night is off by that hour). */
const morningOf = (date: string, timeZone: string) =>
  new Date(startOfLocalDate(date, timeZone).getTime() + QUIET_HOURS.to * 3_600_000);

/**
 * The first instant at or after `at` an SMS may go out in the hall's zone: `at` itself outside quiet
 * hours, else the coming 08:00 there (after 22:00, the next day's).
 */
export function sendableFrom(at: Date, timeZone: string): Date {
  const hour = Number(localTime(at, timeZone).slice(0, 2));
  if (hour >= QUIET_HOURS.to && hour < QUIET_HOURS.from) return at;
  const today = localDate(at, timeZone);
  return morningOf(hour >= QUIET_HOURS.from ? nextDate(today) : today, timeZone);
}

/** Whether `at` falls in the hall's quiet hours. */
export const inQuietHours = (at: Date, timeZone: string): boolean => sendableFrom(at, timeZone) > at;
