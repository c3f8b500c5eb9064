import type { CalendarYear } from '@shared/api';
import { CASE_DUE_SOON_DAYS, dueLevel, workingDaysLeft, type DueLevel } from '@shared/console/deadline';
import { CN_CALENDARS } from '@shared/intake/cn-calendar';
import { addWorkingDays } from '@shared/intake/working-days';
import { DEFAULT_HALL_TIME_ZONE } from '@shared/format/hall-time';
import { localDate } from '@shared/queue/hall-day';
import type { Db, Tx } from '../db/pool';
import { hallStore } from '../store/hall-store';
import { catalogStore } from './catalog-store';

/** One `holiday` reference row as central holds it (a tombstone has no workday). */
export interface HolidayRow {
  date: string;
  hallId: string | null;
  deleted: boolean;
  workday: boolean | null;
}

/**
 * The working-day calendar a hall's devices hold: the State Council's schedules they are born with
 * (CN_CALENDARS), then every holiday row the hall sees, in version order, as their pull applies them (a
 * row puts its date in the holidays or the make-up days; a tombstone takes it out of both).
 */
function hallCalendar(rows: readonly HolidayRow[], hallId: string): CalendarYear[] {
  const years = new Map<number, { holidays: Set<string>; workdays: Set<string> }>(
    CN_CALENDARS.map((c) => [c.year, { holidays: new Set(c.holidays), workdays: new Set(c.workdays) }]),
  );
  for (const r of rows) {
    if (r.hallId !== null && r.hallId !== hallId) continue;
    const year = Number(r.date.slice(0, 4));
    const y = years.get(year) ?? years.set(year, { holidays: new Set(), workdays: new Set() }).get(year)!;
    y.holidays.delete(r.date);
    y.workdays.delete(r.date);
    if (!r.deleted) (r.workday ? y.workdays : y.holidays).add(r.date);
  }
  return [...years].map(([year, y]) => ({ year, holidays: [...y.holidays].sort(), workdays: [...y.workdays].sort() }));
}

/** Per hall: its date today and the first date no longer due soon (the due filters' table in SQL). */
export interface HallDays {
  hallIds: string[];
  todays: string[];
  soonBefores: string[];
}

/**
 * The calendars and zones of the halls one request looks at, each calendar built once from one read of
 * the holiday rows. `zones`: each hall's zone (central's halls table), the zone its days are counted in.
 */
export class HallCalendars {
  private readonly byHall = new Map<string, CalendarYear[]>();
  constructor(
    private readonly rows: readonly HolidayRow[],
    private readonly zones: ReadonlyMap<string, string>,
  ) {}

  /** The holiday rows and every hall's zone, read once. */
  static async load(q: Db | Tx): Promise<HallCalendars> {
    return new HallCalendars(await catalogStore.holidays(q), await hallStore.zones(q));
  }

  /** A hall central does not know (yet) counts in the hall default. */
  zoneOf(hallId: string): string {
    return this.zones.get(hallId) ?? DEFAULT_HALL_TIME_ZONE;
  }

  /** The hall's date at an instant. */
  dateAt(hallId: string, instant: Date): string {
    return localDate(instant, this.zoneOf(hallId));
  }

  /** The hall's date now, by central's casework clock. */
  today(hallId: string, clock: CaseworkClock): string {
    return clock.today(this.zoneOf(hallId));
  }

  /** Every hall's today and due-soon bound, for a filter over many halls' items. */
  days(clock: CaseworkClock, soonDays: number): HallDays {
    const hallIds = [...this.zones.keys()];
    const todays = hallIds.map((h) => this.today(h, clock));
    return { hallIds, todays, soonBefores: hallIds.map((h, i) => this.dueSoonBefore(h, todays[i]!, soonDays)) };
  }

  of(hallId: string): CalendarYear[] {
    let c = this.byHall.get(hallId);
    if (!c) this.byHall.set(hallId, (c = hallCalendar(this.rows, hallId)));
    return c;
  }

  /**
   * `n` working days after `from` by the hall's calendar, or null when a year on the way has no calendar:
   * a date in such a year is never computed silently (DOMAIN.md).
   */
  addWorkingDays(hallId: string, from: string, n: number): string | null {
    let missing = false;
    const date = addWorkingDays(from, n, this.of(hallId), () => (missing = true));
    return missing ? null : date;
  }

  /**
   * The first date that is no longer "due soon" with `soonDays` working days to go: a deadline before it
   * (and not before today) is due soon. Weekends only in a year without a calendar, as `workingDaysLeft`.
   */
  dueSoonBefore(hallId: string, today: string, soonDays: number): string {
    return addWorkingDays(today, soonDays + 1, this.of(hallId));
  }

  daysLeft(hallId: string, today: string, due: string): number {
    return workingDaysLeft(today, due, this.of(hallId));
  }

  /** Days left and their colour; null and `ok` when the clock does not run (paused, final, no promise). */
  due(
    hallId: string,
    today: string,
    due: string | null,
    running: boolean,
    soonDays = CASE_DUE_SOON_DAYS,
  ): { daysLeft: number | null; dueLevel: DueLevel } {
    if (!running || !due) return { daysLeft: null, dueLevel: 'ok' };
    const daysLeft = this.daysLeft(hallId, today, due);
    return { daysLeft, dueLevel: dueLevel(daysLeft, soonDays) };
  }
}

/** Central's clock for casework: the instant, and the date it is in a zone (a case's day is its hall's day). */
export interface CaseworkClock {
  now(): Date;
  today(timeZone: string): string;
}

export const systemClock: CaseworkClock = {
  now: () => new Date(),
  today: (timeZone) => localDate(new Date(), timeZone),
};
