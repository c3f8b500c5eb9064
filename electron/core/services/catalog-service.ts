import { AppError, type CalendarYear, type Department, type Matter } from '@shared/api';
import { CN_CALENDARS } from '@shared/intake/cn-calendar';
import { addWorkingDays, promisedWorkingDay } from '@shared/intake/working-days';
import type { CalendarStore } from '../store/calendar-store';
import { matterInitials, matterMatches } from '../intake/matter-search';
import type { CatalogStore } from '../store/catalog-store';

export interface CatalogLog {
  warn(obj: object, msg: string): void;
}

/** The matter catalog (事项目录) and the working-day calendar the promised dates are computed with. */
export function createCatalogService(deps: { catalog: CatalogStore; calendar: CalendarStore; log?: CatalogLog }) {
  const { catalog, calendar, log } = deps;

  function upsertMatter(m: Matter): Matter {
    if (!catalog.department(m.departmentId)) {
      throw new AppError('NOT_FOUND', `no department "${m.departmentId}"`, { reason: 'UNKNOWN_DEPARTMENT' });
    }
    const ids = m.materials.map((x) => x.id);
    if (new Set(ids).size !== ids.length) {
      throw new AppError('INVALID_INPUT', 'each material of a matter needs its own id', {
        reason: 'DUPLICATE_MATERIAL',
      });
    }
    catalog.transaction(() => catalog.putMatter(m, matterInitials(m)));
    return catalog.matter(m.code)!;
  }

  return {
    /** Seeds the catalog of a new database (nothing happens once any matter exists). */
    seed(departments: readonly Department[], matters: readonly Matter[]): void {
      catalog.transaction(() => {
        if (catalog.matterCount() > 0) return;
        for (const d of departments) catalog.putDepartment(d);
        for (const m of matters) upsertMatter(m);
      });
    },
    /** Adds the official schedules of the years this device has no calendar for. */
    seedCalendars(years: readonly CalendarYear[] = CN_CALENDARS): void {
      catalog.transaction(() => {
        for (const y of years) if (!calendar.year(y.year)) calendar.put(y);
      });
    },

    departments: (): Department[] => catalog.departments(),
    department: (id: string): Department | undefined => catalog.department(id),
    /** Active matters by applicant type and department; a query matches names, other names and pinyin initials. */
    matters(filter: { applicantType?: 'person' | 'organisation'; departmentId?: string; query?: string }): Matter[] {
      return catalog
        .matters()
        .filter(
          ({ matter: m, searchInitials }) =>
            m.active &&
            (!filter.applicantType || m.applicantTypes.includes(filter.applicantType)) &&
            (!filter.departmentId || m.departmentId === filter.departmentId) &&
            (!filter.query || matterMatches(m, searchInitials, filter.query)),
        )
        .map((r) => r.matter);
    },
    matter: (code: string): Matter | undefined => catalog.matter(code),
    upsertDepartment(d: Department): Department {
      catalog.transaction(() => catalog.putDepartment(d));
      return catalog.department(d.id)!;
    },
    upsertMatter,

    /** A year's calendar; a year nobody entered is plain Monday–Friday (no exceptions). */
    calendarYear: (year: number): CalendarYear => calendar.year(year) ?? { year, holidays: [], workdays: [] },
    putCalendarYear(c: CalendarYear): CalendarYear {
      catalog.transaction(() => calendar.put(c));
      return calendar.year(c.year)!;
    },
    /** A due date of the hall's own (a feedback item's): a year without a calendar is only logged. */
    addWorkingDays(from: string, days: number): string {
      return addWorkingDays(from, days, calendar.years(), (year) =>
        log?.warn({ year, from, days }, 'no holiday calendar for this year: counting weekends only'),
      );
    },
    /** A date promised to an applicant, with the years counted without a calendar (the caller decides). */
    promisedWorkingDay: (from: string, days: number) => promisedWorkingDay(from, days, calendar.years()),
  };
}
export type CatalogService = ReturnType<typeof createCatalogService>;
