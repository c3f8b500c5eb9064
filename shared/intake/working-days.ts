import type { CalendarYear } from '../api/methods/intake';

const DAY_MS = 86_400_000;

const toUtc = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
const toIso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Is `date` (YYYY-MM-DD) a Saturday or a Sunday. */
export function isWeekend(date: string): boolean {
  const weekday = new Date(toUtc(date)).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** Is `date` (YYYY-MM-DD) a working day: a make-up day always, a holiday never, else Monday–Friday. */
export function isWorkingDay(date: string, calendars: readonly CalendarYear[]): boolean {
  const year = calendars.find((c) => c.year === Number(date.slice(0, 4)));
  if (year?.workdays.includes(date)) return true;
  if (year?.holidays.includes(date)) return false;
  return !isWeekend(date);
}

/**
 * Whether a year has a calendar: at least one holiday or make-up day. Every year has public holidays, so
 * a year whose days were all taken out (central withdrew them one by one) has none, as a year never sent.
 */
export const hasCalendar = (c: CalendarYear): boolean => c.holidays.length > 0 || c.workdays.length > 0;

/**
 * The date `n` working days after `from`: the day of acceptance itself is not counted, so n = 1 is the
 * next working day and n = 0 is `from` itself (即办件). A year without a calendar counts weekends only;
 * `onMissingYear` hears of each such year, because a promise computed without the holidays may be wrong.
 */
export function addWorkingDays(
  from: string,
  n: number,
  calendars: readonly CalendarYear[],
  onMissingYear?: (year: number) => void,
): string {
  const known = new Set(calendars.filter(hasCalendar).map((c) => c.year));
  const warned = new Set<number>();
  let ms = toUtc(from);
  if (Number.isNaN(ms)) throw new RangeError(`not a date: ${from}`);
  for (let counted = 0; counted < n;) {
    ms += DAY_MS;
    const date = toIso(ms);
    const year = Number(date.slice(0, 4));
    if (!known.has(year) && !warned.has(year)) {
      warned.add(year);
      onMissingYear?.(year);
    }
    if (isWorkingDay(date, calendars)) counted += 1;
  }
  return toIso(ms);
}

/**
 * `addWorkingDays` for a date someone is promised: the date, and the years it counted days of without
 * a calendar (Monday–Friday only): a date nobody may promise (the counter refuses the acceptance).
 */
export function promisedWorkingDay(
  from: string,
  n: number,
  calendars: readonly CalendarYear[],
): { date: string; yearsWithoutCalendar: number[] } {
  const yearsWithoutCalendar: number[] = [];
  const date = addWorkingDays(from, n, calendars, (year) => yearsWithoutCalendar.push(year));
  return { date, yearsWithoutCalendar };
}
