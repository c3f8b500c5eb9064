import type { Database } from 'better-sqlite3';
import type { CalendarYear } from '@shared/api';

interface Row {
  year: number;
  holidays: string;
  workdays: string;
}
const toYear = (r: Row): CalendarYear => ({
  year: r.year,
  holidays: JSON.parse(r.holidays) as string[],
  workdays: JSON.parse(r.workdays) as string[],
});

/** All SQL of the working-day calendar: one row of exceptions per year. */
export function createCalendarStore(db: Database) {
  const all = db.prepare<[], Row>('SELECT * FROM calendar_years ORDER BY year');
  const one = db.prepare<[number], Row>('SELECT * FROM calendar_years WHERE year = ?');
  const put = db.prepare(`
    INSERT INTO calendar_years (year, holidays, workdays) VALUES (@year, @holidays, @workdays)
    ON CONFLICT (year) DO UPDATE SET holidays = excluded.holidays, workdays = excluded.workdays
  `);
  return {
    years: (): CalendarYear[] => all.all().map(toYear),
    year: (year: number): CalendarYear | undefined => {
      const r = one.get(year);
      return r && toYear(r);
    },
    put: (c: CalendarYear) =>
      put.run({
        year: c.year,
        holidays: JSON.stringify([...new Set(c.holidays)].sort()),
        workdays: JSON.stringify([...new Set(c.workdays)].sort()),
      }),
  };
}
export type CalendarStore = ReturnType<typeof createCalendarStore>;
