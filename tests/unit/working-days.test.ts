import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarYearSchema } from '@shared/api/methods/intake';
import { CN_CALENDARS } from '@shared/intake/cn-calendar';
import { addWorkingDays, isWorkingDay, promisedWorkingDay } from '@shared/intake/working-days';

const cal = CN_CALENDARS;

describe('the State Council calendars', () => {
  it('are valid calendar years', () => {
    for (const y of cal) expect(calendarYearSchema.safeParse(y).success).toBe(true);
  });

  it('put make-up working days on weekends only', () => {
    for (const y of cal) {
      for (const d of y.workdays) expect([0, 6], d).toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
    }
  });

  it('have the 2025 breaks and make-up days', () => {
    const y2025 = cal.find((c) => c.year === 2025)!;
    expect(y2025.holidays.filter((d) => d >= '2025-01-28' && d <= '2025-02-04')).toHaveLength(8);
    expect(y2025.holidays.filter((d) => d >= '2025-10-01' && d <= '2025-10-08')).toHaveLength(8);
    expect(y2025.workdays).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
  });

  it('have the 2026 breaks and make-up days', () => {
    const y2026 = cal.find((c) => c.year === 2026)!;
    expect(y2026.holidays.filter((d) => d >= '2026-02-15' && d <= '2026-02-23')).toHaveLength(9);
    expect(y2026.holidays.filter((d) => d >= '2026-10-01' && d <= '2026-10-07')).toHaveLength(7);
    expect(y2026.workdays).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });
});

describe('isWorkingDay', () => {
  it('counts make-up weekend days and skips holidays on weekdays', () => {
    expect(isWorkingDay('2025-01-26', cal)).toBe(true); // Sunday, 调休上班
    expect(isWorkingDay('2025-02-08', cal)).toBe(true); // Saturday, 调休上班
    expect(isWorkingDay('2025-01-28', cal)).toBe(false); // Tuesday, 春节
    expect(isWorkingDay('2026-02-14', cal)).toBe(true); // Saturday
    expect(isWorkingDay('2026-02-28', cal)).toBe(true); // Saturday
    expect(isWorkingDay('2026-10-10', cal)).toBe(true); // Saturday
    expect(isWorkingDay('2026-09-20', cal)).toBe(true); // Sunday
    expect(isWorkingDay('2026-10-08', cal)).toBe(true); // Thursday after 国庆
    expect(isWorkingDay('2026-03-07', cal)).toBe(false); // an ordinary Saturday
  });

  it('without a calendar for the year, is Monday to Friday', () => {
    expect(isWorkingDay('2027-10-01', cal)).toBe(true); // a Friday: nobody entered 2027 yet
    expect(isWorkingDay('2027-10-02', cal)).toBe(false);
  });
});

describe('addWorkingDays', () => {
  it('does not count the acceptance day; 0 days is the same day', () => {
    expect(addWorkingDays('2026-03-02', 1, cal)).toBe('2026-03-03');
    expect(addWorkingDays('2026-03-02', 0, cal)).toBe('2026-03-02');
    expect(addWorkingDays('2026-02-15', 0, cal)).toBe('2026-02-15');
    expect(addWorkingDays('2026-03-06', 1, cal)).toBe('2026-03-09'); // Friday → Monday
  });

  it('crosses the 2025 Spring Festival with its make-up days', () => {
    // Fri 24 Jan; Sun 26 Jan works; 27 Jan works; 28 Jan–4 Feb off; 5, 6, 7 Feb, Sat 8 Feb works.
    expect(addWorkingDays('2025-01-24', 1, cal)).toBe('2025-01-26');
    expect(addWorkingDays('2025-01-24', 2, cal)).toBe('2025-01-27');
    expect(addWorkingDays('2025-01-24', 3, cal)).toBe('2025-02-05');
    expect(addWorkingDays('2025-01-24', 6, cal)).toBe('2025-02-08');
    expect(addWorkingDays('2025-01-24', 7, cal)).toBe('2025-02-10');
  });

  it('crosses the 2025 National Day and Mid-Autumn break', () => {
    // Fri 26 Sep; Sun 28 Sep works; 29, 30 Sep; 1–8 Oct off; 9, 10 Oct; Sat 11 Oct works.
    expect(addWorkingDays('2025-09-26', 1, cal)).toBe('2025-09-28');
    expect(addWorkingDays('2025-09-26', 3, cal)).toBe('2025-09-30');
    expect(addWorkingDays('2025-09-26', 4, cal)).toBe('2025-10-09');
    expect(addWorkingDays('2025-09-26', 6, cal)).toBe('2025-10-11');
    expect(addWorkingDays('2025-09-26', 7, cal)).toBe('2025-10-13');
  });

  it('crosses the 2026 Spring Festival with its two make-up Saturdays', () => {
    // Fri 13 Feb; Sat 14 Feb works; 15–23 Feb off; 24–27 Feb; Sat 28 Feb works; Mon 2 Mar.
    expect(addWorkingDays('2026-02-13', 1, cal)).toBe('2026-02-14');
    expect(addWorkingDays('2026-02-13', 2, cal)).toBe('2026-02-24');
    expect(addWorkingDays('2026-02-13', 6, cal)).toBe('2026-02-28');
    expect(addWorkingDays('2026-02-13', 7, cal)).toBe('2026-03-02');
    // Accepted on the make-up Saturday itself.
    expect(addWorkingDays('2026-02-14', 1, cal)).toBe('2026-02-24');
  });

  it('crosses the 2026 National Day with its make-up Sunday and Saturday', () => {
    // Fri 18 Sep; Sun 20 Sep works; 21–24 Sep; 25–27 Sep 中秋 off; 28–30 Sep; 1–7 Oct off; 8, 9 Oct; Sat 10 Oct.
    expect(addWorkingDays('2026-09-18', 1, cal)).toBe('2026-09-20');
    expect(addWorkingDays('2026-09-18', 5, cal)).toBe('2026-09-24');
    expect(addWorkingDays('2026-09-18', 6, cal)).toBe('2026-09-28');
    expect(addWorkingDays('2026-09-18', 8, cal)).toBe('2026-09-30');
    expect(addWorkingDays('2026-09-18', 9, cal)).toBe('2026-10-08');
    expect(addWorkingDays('2026-09-18', 11, cal)).toBe('2026-10-10');
    expect(addWorkingDays('2026-09-18', 12, cal)).toBe('2026-10-12');
  });

  it('spans whole years: 248 working days in 2025 and in 2026', () => {
    // 2025: 261 weekdays − 18 holidays on weekdays + 5 make-up days; 2026: 261 − 19 + 6.
    expect(addWorkingDays('2024-12-31', 248, cal)).toBe('2025-12-31');
    expect(addWorkingDays('2025-12-31', 248, cal)).toBe('2026-12-31');
    expect(addWorkingDays('2025-12-31', 249, cal)).toBe('2027-01-01');
    expect(addWorkingDays('2024-12-31', 496, cal)).toBe('2026-12-31');
  });

  it('names the years a promised date was counted in without a calendar', () => {
    // 30 Sep 2027 + 5 working days, National Day unknown: Mon–Fri only.
    expect(promisedWorkingDay('2027-09-30', 5, cal)).toEqual({ date: '2027-10-07', yearsWithoutCalendar: [2027] });
    expect(promisedWorkingDay('2026-12-30', 300, cal).yearsWithoutCalendar).toEqual([2027, 2028]);
    expect(promisedWorkingDay('2026-09-18', 9, cal)).toEqual({ date: '2026-10-08', yearsWithoutCalendar: [] });
    // The acceptance day itself is not counted: an instant matter in such a year promises nothing counted.
    expect(promisedWorkingDay('2027-09-30', 0, cal)).toEqual({ date: '2027-09-30', yearsWithoutCalendar: [] });
  });

  it('takes a year whose days were all taken out for a year without a calendar', () => {
    const emptied = [...cal, { year: 2027, holidays: [], workdays: [] }];
    expect(promisedWorkingDay('2027-09-30', 5, emptied)).toEqual({ date: '2027-10-07', yearsWithoutCalendar: [2027] });
    const one = [...cal, { year: 2027, holidays: ['2027-10-01'], workdays: [] }];
    expect(promisedWorkingDay('2027-09-30', 5, one)).toEqual({ date: '2027-10-08', yearsWithoutCalendar: [] });
  });

  it('tells about each year it had to count without a calendar', () => {
    const missing: number[] = [];
    expect(addWorkingDays('2026-12-30', 300, cal, (y) => missing.push(y))).toMatch(/^2028-/);
    expect(missing).toEqual([2027, 2028]);
  });

  it('lands on a working day exactly n working days later, for any start and n', () => {
    const start = fc.date({
      min: new Date('2025-01-01T00:00:00Z'),
      max: new Date('2026-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 60 }), (d, n) => {
        const from = d.toISOString().slice(0, 10);
        const to = addWorkingDays(from, n, cal);
        expect(isWorkingDay(to, cal)).toBe(true);
        let count = 0;
        for (
          let ms = Date.parse(`${from}T00:00:00Z`) + 86_400_000;
          ms <= Date.parse(`${to}T00:00:00Z`);
          ms += 86_400_000
        ) {
          if (isWorkingDay(new Date(ms).toISOString().slice(0, 10), cal)) count++;
        }
        expect(count).toBe(n);
        // Monotone: one more working day is strictly later.
        expect(addWorkingDays(from, n + 1, cal) > to).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
