import type { FastifyRequest } from 'fastify';
import type {
  CalendarDay,
  CalendarDayRemove,
  CalendarDayWrite,
  CalendarStatus,
  CalendarView,
  calendarImportSchema,
} from '@shared/console/calendar';
import { DEFAULT_HALL_TIME_ZONE } from '@shared/format/hall-time';
import { CN_CALENDARS } from '@shared/intake/cn-calendar';
import { calendarDueYear } from '@shared/intake/calendar-due';
import { hasCalendar } from '@shared/intake/working-days';
import type { z } from 'zod';
import { HallCalendars, type CaseworkClock } from '../casework/hall-calendar';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { IdentityError } from '../identity/sign-in';
import type { StaffRecord } from '../identity/staff-store';
import { writeRef } from '../reference/write-ref';
import { checkWriteScope, hallsOf, rowFilter } from './catalog-access';
import { catalogAdminStore, type HolidayRefRow } from './catalog-admin-store';

type CalendarImportInput = z.output<typeof calendarImportSchema>;

const who = (a: StaffRecord) => ({ staffId: a.id, login: a.login });
const yearOf = (date: string) => Number(date.slice(0, 4));

/**
 * A year's days as the devices of a scope hold them: the State Council's schedule they are born with, then
 * each holiday row in version order (a row sets its date, a tombstone takes it out), as their pull applies
 * them, each day with where it comes from.
 */
export function effectiveDays(year: number, rows: readonly HolidayRefRow[]): CalendarView['days'] {
  const days = new Map<string, CalendarView['days'][number]>();
  const builtin = CN_CALENDARS.find((c) => c.year === year);
  for (const date of builtin?.holidays ?? []) days.set(date, { date, name: '', workday: false, source: 'builtin' });
  for (const date of builtin?.workdays ?? []) days.set(date, { date, name: '', workday: true, source: 'builtin' });
  for (const r of rows) {
    if (r.deleted) days.delete(r.date);
    else {
      const source = r.hallId === null ? 'all_halls' : 'hall';
      days.set(r.date, { date: r.date, name: r.name ?? '', workday: r.workday ?? false, source });
    }
  }
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** The working-day calendar at the console: a year by scope, its days added, removed and imported, the banner. */
export function createCalendarAdmin(db: Db, clock: CaseworkClock) {
  async function view(q: Db | Tx, year: number, hallId: string | null): Promise<CalendarView> {
    const days = effectiveDays(year, await catalogAdminStore.holidaysOfYear(q, year, hallId));
    return { year, hallId, days, hasCalendar: days.length > 0 };
  }

  const put = (tx: Tx, req: FastifyRequest, actor: StaffRecord, hallId: string | null, day: CalendarDay) =>
    writeRef(tx, req, who(actor), {
      kind: 'holiday',
      id: day.date,
      hallId,
      leaderId: null,
      data: { date: day.date, workday: day.workday, name: day.name },
      deleted: false,
    });
  const takeOut = (tx: Tx, req: FastifyRequest, actor: StaffRecord, hallId: string | null, date: string) =>
    writeRef(tx, req, who(actor), { kind: 'holiday', id: date, hallId, leaderId: null, data: null, deleted: true });

  return {
    async year(actor: StaffRecord, year: number, scope: 'global' | string): Promise<CalendarView> {
      rowFilter(actor, scope);
      return view(db, year, scope === 'global' ? null : scope);
    },

    /** One day, the row of its date: entered again, it is the same row with the new name and kind. */
    addDay(req: FastifyRequest, actor: StaffRecord, w: CalendarDayWrite): Promise<CalendarView> {
      return inTransaction(db, async (tx) => {
        await checkWriteScope(tx, actor, w.hallId);
        await put(tx, req, actor, w.hallId, w.day);
        return view(tx, yearOf(w.day.date), w.hallId);
      });
    },

    /** Takes a day out for the scope's devices, a built-in one or every hall's one included. */
    removeDay(req: FastifyRequest, actor: StaffRecord, w: CalendarDayRemove): Promise<CalendarView> {
      return inTransaction(db, async (tx) => {
        await checkWriteScope(tx, actor, w.hallId);
        const before = await view(tx, yearOf(w.date), w.hallId);
        if (!before.days.some((d) => d.date === w.date)) {
          throw new IdentityError(404, 'NOT_FOUND', `${w.date} is not in this calendar`);
        }
        await takeOut(tx, req, actor, w.hallId, w.date);
        return view(tx, yearOf(w.date), w.hallId);
      });
    },

    /** A year's list in one transaction; with `replace`, the scope's other days of the year are taken out. */
    importYear(req: FastifyRequest, actor: StaffRecord, w: CalendarImportInput): Promise<CalendarView> {
      return inTransaction(db, async (tx) => {
        await checkWriteScope(tx, actor, w.hallId);
        if (w.replace) {
          const keep = new Set(w.days.map((d) => d.date));
          const before = await view(tx, w.year, w.hallId);
          for (const d of before.days) if (!keep.has(d.date)) await takeOut(tx, req, actor, w.hallId, d.date);
        }
        for (const day of w.days) await put(tx, req, actor, w.hallId, day);
        return view(tx, w.year, w.hallId);
      });
    },

    /** From 1 November: the person's halls whose devices hold no calendar for next year. */
    async status(actor: StaffRecord): Promise<CalendarStatus> {
      const halls = await hallsOf(db, actor);
      const calendars = await HallCalendars.load(db);
      // Each hall turns to 1 November at its own midnight; the banner's date is the first hall's.
      const todayOf = (hallId: string | undefined) =>
        clock.today(hallId ? calendars.zoneOf(hallId) : DEFAULT_HALL_TIME_ZONE);
      const today = todayOf(halls[0]?.id);
      const missing = halls.filter((h) => {
        const dueYear = calendarDueYear(todayOf(h.id));
        if (dueYear === null) return false;
        const year = calendars.of(h.id).find((c) => c.year === dueYear);
        return !year || !hasCalendar(year);
      });
      return {
        today,
        dueYear: calendarDueYear(today),
        missing: missing.map((h) => ({ hallId: h.id, code: h.code, name: h.name })),
      };
    },
  };
}
export type CalendarAdmin = ReturnType<typeof createCalendarAdmin>;
