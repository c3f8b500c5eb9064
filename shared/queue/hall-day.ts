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

/** YYYY-MM-DD of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = dateFormatter('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(instant)
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** HH:MM of an instant in a time zone, for opening-hours checks. */
export function localTime(instant: Date, timeZone: string): string {
  return dateFormatter('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
}

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
