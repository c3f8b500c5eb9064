import { describe, expect, it } from 'vitest';
import { localDate, localTime } from '@shared/queue/hall-day';

/**
 * localDate and localTime remember the last minute asked of each zone. Asked in the order a hub asks
 * (one instant after another, zones interleaved, across DST changes, half-hour zones and midnight), each
 * answer must be what Intl says of that very instant.
 */
const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe'];

function direct(instant: Date, timeZone: string) {
  const date = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return { date: date.format(instant), time: time.format(instant) };
}

describe('the hall day and time, one minute remembered per zone', () => {
  it('match Intl at every step across DST changes and midnights, zones interleaved', () => {
    // Around the 2026 DST changes (US 8 March, Europe 29 March, Lord Howe 5 April) and a midnight in each zone.
    const starts = ['2026-03-08T06:50:00Z', '2026-03-29T00:50:00Z', '2026-04-04T14:50:00Z', '2026-03-01T15:58:00Z'];
    let checked = 0;
    for (const start of starts) {
      for (let s = 0; s < 4 * 3600; s += 17) {
        const instant = new Date(Date.parse(start) + s * 1000 + (s % 1000));
        for (const zone of ZONES) {
          expect({ date: localDate(instant, zone), time: localTime(instant, zone) }).toEqual(direct(instant, zone));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(4000);
  });
});
