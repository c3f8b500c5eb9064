import { localDate, localTime, startOfLocalDate } from '@shared/queue/hall-day';

/**
 * The leader's calendar is written in the hall's wall clock, whatever zone the office's PC is set to: these
 * turn the dates and times typed in a form into instants and back.
 */

/** A calendar date `n` days after `date` (both YYYY-MM-DD). */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The dates a day or week view shows around `anchor`: the day itself, or its week from Monday. */
export function daysOf(anchor: string, mode: 'day' | 'week'): string[] {
  if (mode === 'day') return [anchor];
  const monday = addDays(anchor, -((new Date(`${anchor}T00:00:00Z`).getUTCDay() + 6) % 7));
  return [0, 1, 2, 3, 4, 5, 6].map((n) => addDays(monday, n));
}

/** The instants those dates span in the zone: from the first's midnight to the midnight after the last. */
export function rangeOf(days: readonly string[], timeZone: string): { from: string; to: string } {
  return {
    from: startOfLocalDate(days[0]!, timeZone).toISOString(),
    to: startOfLocalDate(addDays(days.at(-1)!, 1), timeZone).toISOString(),
  };
}

const minutesOf = (time: string) => {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
};
/** Minutes since the epoch of a wall date and time read as UTC: the difference of two is wall minutes. */
const wallMinutes = (date: string, time: string) => Date.parse(`${date}T00:00:00Z`) / 60_000 + minutesOf(time);

/** The instant the zone's clock shows `time` (HH:mm) on `date`, as ISO text. */
export function wallInstant(date: string, time: string, timeZone: string): string {
  const guess = new Date(startOfLocalDate(date, timeZone).getTime() + minutesOf(time) * 60_000);
  // A day whose offset changes between midnight and `time` shows another time there: move by the difference.
  const shown = wallMinutes(localDate(guess, timeZone), localTime(guess, timeZone));
  return new Date(guess.getTime() + (wallMinutes(date, time) - shown) * 60_000).toISOString();
}

/** The date and time (HH:mm) the zone's clock shows at an instant. */
export function wallOf(iso: string, timeZone: string): { date: string; time: string } {
  const at = new Date(iso);
  return { date: localDate(at, timeZone), time: localTime(at, timeZone) };
}
