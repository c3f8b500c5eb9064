/**
 * The State Council publishes a year's holiday schedule late in the year before: from 1 November (the
 * hall's date) the console and the counters say when next year's calendar has not arrived yet, while there
 * is time to enter it before promised dates start running into that year.
 */
export const CALENDAR_DUE_FROM = '11-01';

/** The year whose calendar is due by `today` (YYYY-MM-DD): next year from 1 November, else none. */
export function calendarDueYear(today: string): number | null {
  return today.slice(5) >= CALENDAR_DUE_FROM ? Number(today.slice(0, 4)) + 1 : null;
}
