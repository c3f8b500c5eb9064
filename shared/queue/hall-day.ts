/**
 * The hall's business day: the local date (in the hall's time zone) of `now` minus the daily reset
 * time. With a reset at 03:00, 02:59 still belongs to yesterday's queue.
 */
export function hallDay(now: Date, timeZone: string, resetTime: string): string {
  const [h, m] = resetTime.split(':').map(Number) as [number, number];
  const shifted = new Date(now.getTime() - (h * 60 + m) * 60_000);
  return localDate(shifted, timeZone);
}

/** YYYY-MM-DD of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(instant)
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** HH:MM of an instant in a time zone, for opening-hours checks. */
export function localTime(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    instant,
  );
}
