import { describe, expect, it } from 'vitest';
import { formatHallTime, hallStamp } from '@shared/format/hall-time';

// 02:05 UTC is 10:05 in Shanghai and still the evening before in New York.
const AT = '2026-03-02T02:05:00.000Z';

describe('formatHallTime', () => {
  it('writes the hall zone wall clock, not the runtime zone', () => {
    // Chinese pages write dates the way promised dates and reports do: 2026-03-02, never 2026/03/02.
    expect(formatHallTime(AT, 'Asia/Shanghai', 'zh-CN', 'long')).toBe('2026-03-02 10:05');
    expect(formatHallTime(AT, 'America/New_York', 'zh-CN', 'long')).toBe('2026-03-01 21:05');
    expect(formatHallTime(AT, 'Asia/Shanghai', 'en-US', 'long')).toBe('Mar 2, 2026, 10:05');
  });

  it('has one style per use', () => {
    expect(formatHallTime(AT, 'Asia/Shanghai', 'zh-CN', 'time')).toBe('10:05');
    expect(formatHallTime(AT, 'Asia/Shanghai', 'zh-CN', 'clock')).toBe('10:05:00');
    expect(formatHallTime(AT, 'Asia/Shanghai', 'zh-CN', 'monthDayTime')).toBe('3/2 10:05');
    expect(formatHallTime(AT, 'Asia/Shanghai', 'zh-CN', 'fullDate')).toBe('2026年3月2日星期一');
    expect(formatHallTime(AT, 'America/New_York', 'zh-CN', 'date')).toBe('2026-03-01');
    expect(formatHallTime(AT, 'Asia/Shanghai', 'en-US', 'date')).toBe('Mar 2, 2026');
  });

  it('gives nothing for a value that is no instant', () => {
    expect(formatHallTime('not a time', 'Asia/Shanghai', 'zh-CN', 'long')).toBe('');
  });
});

describe('hallStamp', () => {
  it('is YYYY-MM-DD HH:mm in the zone', () => {
    expect(hallStamp(AT, 'Asia/Shanghai')).toBe('2026-03-02 10:05');
    expect(hallStamp(AT, 'America/New_York')).toBe('2026-03-01 21:05');
  });
});
