import { dateFormatter } from '../format/date-formatters';

/**
 * The hall's business day: the local date (in the hall's time zone) of `now` minus the daily reset
 * time. With a reset at 03:00, 02:59 still belongs to yesterday's queue.
 */
export function hallDay(now: Date, timeZone: string, resetTime: string): string {
  const [h, m] = resetTime.split(':').map(Number) as [number, number];
  const shifted = new Date(now.getTime() - (h * 60 + m) * 60_000);
  return localDate(shifted, timeZone);
}

/**
 * `format` of the instant's minute, remembered for the last minute asked of each zone and format: every
 * queue command asks the hall day and the local time, and formatting through Intl each time was a few
 * percent of the hub's work. Every zone's offset is a whole number of minutes, so a minute has one answer.
 */
function perMinute(format: (minuteStart: Date, timeZone: string) => string) {
  const last = new Map<string, { minute: number; value: string }>();
  return (instant: Date, timeZone: string): string => {
    const minute = Math.floor(instant.getTime() / 60_000);
    const seen = last.get(timeZone);
    if (seen?.minute === minute) return seen.value;
    const value = format(new Date(minute * 60_000), timeZone);
    last.set(timeZone, { minute, value });
    return value;
  };
}

/** YYYY-MM-DD of an instant in a time zone. */
export const localDate = perMinute((instant, timeZone) => {
  const parts: Record<string, string> = {};
  for (const p of dateFormatter('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(
    instant,
  ))
    parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day}`;
});

/** HH:MM of an instant in a time zone, for opening-hours checks. */
export const localTime = perMinute((instant, timeZone) =>
  dateFormatter('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant),
);

/** The instant a local date begins in a time zone (midnight there). */
export function startOfLocalDate(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  // The zone's offset at a first guess, then again at the result, for days whose offset changes at midnight.
  const first = wall - zoneOffsetMs(wall, timeZone);
  return new Date(wall - zoneOffsetMs(first, timeZone));
}

function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const parts = dateFormatter('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })
    .formatToParts(new Date(instantMs))
    .reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.type]: Number(p.value) }), {});
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}
