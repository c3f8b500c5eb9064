import type { CalendarYear } from '../api/methods/intake';

/** Every date from `from` to `to` inclusive (same year), for writing holiday spans as the notices do. */
function span(from: string, to: string): string[] {
  const out: string[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += 86_400_000) {
    out.push(new Date(ms).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * The State Council's holiday schedules (国务院办公厅关于部分节假日安排的通知), the default calendar of a
 * new device; central replaces them and adds later years through the reference pull.
 */
export const CN_CALENDARS: readonly CalendarYear[] = [
  {
    year: 2025,
    holidays: [
      '2025-01-01', // 元旦
      ...span('2025-01-28', '2025-02-04'), // 春节
      ...span('2025-04-04', '2025-04-06'), // 清明
      ...span('2025-05-01', '2025-05-05'), // 劳动节
      ...span('2025-05-31', '2025-06-02'), // 端午
      ...span('2025-10-01', '2025-10-08'), // 国庆 + 中秋
    ],
    workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  {
    year: 2026,
    holidays: [
      ...span('2026-01-01', '2026-01-03'), // 元旦
      ...span('2026-02-15', '2026-02-23'), // 春节
      ...span('2026-04-04', '2026-04-06'), // 清明
      ...span('2026-05-01', '2026-05-05'), // 劳动节
      ...span('2026-06-19', '2026-06-21'), // 端午
      ...span('2026-09-25', '2026-09-27'), // 中秋
      ...span('2026-10-01', '2026-10-07'), // 国庆
    ],
    workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
];
