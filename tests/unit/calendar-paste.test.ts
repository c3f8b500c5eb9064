import { describe, expect, it } from 'vitest';
import { calendarImportSchema, parseCalendarPaste } from '@shared/console/calendar';
import { calendarDueYear } from '@shared/intake/calendar-due';

describe('a year’s calendar pasted at the console', () => {
  it('reads date, name and 休/班 in the usual spellings and separators', () => {
    const { lines, days } = parseCalendarPaste(
      [
        '2027-01-01，元旦，休',
        '2027/2/6\t春节调休\t班',
        '2027年10月1日 国庆节 休',
        '2027.5.1; 劳动节; holiday',
        '',
      ].join('\n'),
      2027,
    );
    expect(lines.map((l) => l.problem)).toEqual([null, null, null, null]);
    expect(days).toEqual([
      { date: '2027-01-01', name: '元旦', workday: false },
      { date: '2027-02-06', name: '春节调休', workday: true },
      { date: '2027-05-01', name: '劳动节', workday: false },
      { date: '2027-10-01', name: '国庆节', workday: false },
    ]);
  });

  it('names what is wrong with each line', () => {
    const { lines, days } = parseCalendarPaste(
      [
        '2027-01-01 元旦',
        '2027-02-30, 不存在, 休',
        '2026-10-01, 去年, 休',
        '2027-03-01, 周一, 休假吧',
        '2027-03-03, 周三调休, 班',
        `2027-03-06, ${'长'.repeat(41)}, 休`,
      ].join('\n'),
      2027,
    );
    expect(lines.map((l) => [l.line, l.problem])).toEqual([
      [1, 'format'],
      [2, 'date'],
      [3, 'year'],
      [4, 'kind'],
      [5, 'weekday'],
      [6, 'name'],
    ]);
    expect(days).toEqual([]);
  });

  it('keeps a date given twice once, from its last line, and says so on the earlier one', () => {
    const { lines, days } = parseCalendarPaste(
      '2027-01-01,元旦假期,休\n2027-01-02,周六,休\n\n2027-01-01,元旦,休',
      2027,
    );
    expect(lines.map((l) => [l.line, l.replacedBy])).toEqual([
      [1, 4],
      [2, null],
      [4, null],
    ]);
    expect(days.map((d) => d.name)).toEqual(['元旦', '周六']);
    // The import itself keeps one day per date, the later one.
    const body = calendarImportSchema.parse({
      hallId: null,
      year: 2027,
      days: [
        { date: '2027-01-01', name: '元旦假期', workday: false },
        { date: '2027-01-01', name: '元旦', workday: false },
      ],
    });
    expect(body.days).toEqual([{ date: '2027-01-01', name: '元旦', workday: false }]);
  });

  it('is due from 1 November for the next year', () => {
    expect(calendarDueYear('2026-10-31')).toBeNull();
    expect(calendarDueYear('2026-11-01')).toBe(2027);
    expect(calendarDueYear('2026-12-31')).toBe(2027);
    expect(calendarDueYear('2027-01-01')).toBeNull();
  });
});
