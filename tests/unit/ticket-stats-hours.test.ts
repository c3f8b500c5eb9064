import { describe, expect, it } from 'vitest';
import { ticketStats, type TicketFact } from '@shared/insight/ticket-stats';

/** The local hour as Intl gives it for each instant on its own: what the per-hour table must agree with. */
const hourThere = (iso: string, timeZone: string) =>
  Number(
    new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(new Date(iso)).slice(0, 2),
  );

/** Tickets issued every 7 minutes (so every minute of a quarter hour is met) from `start` for `hours` hours. */
function issuedEvery7Minutes(start: string, hours: number): TicketFact[] {
  return Array.from({ length: Math.floor((hours * 60) / 7) }, (_, i) => {
    const at = new Date(Date.parse(start) + i * 7 * 60_000 + 59_999).toISOString();
    return {
      id: `t${i}`,
      queueId: 'general',
      parentId: null,
      state: 'waiting',
      counterId: null,
      issuedAt: at,
      firstCalledAt: null,
      serviceStartedAt: null,
      finishedAt: null,
    };
  });
}

function perHourIssued(tickets: TicketFact[], day: string, timeZone: string) {
  const stats = ticketStats({
    from: day,
    to: day,
    timeZone,
    now: new Date(`${day}T12:00:00.000Z`),
    tickets,
    finishes: [],
    sessions: () => [],
    queues: [{ id: 'general', nameZh: '综合', nameEn: 'General' }],
    counters: [],
    clerks: [],
  });
  return stats.perHour.map((h) => h.issued);
}

describe('the per-hour table of a range', () => {
  it.each([
    // A whole-hour zone, a quarter-hour one, a half-hour one, and a day whose offset changes at 02:00.
    ['Asia/Shanghai', '2026-03-01T16:00:00.000Z', '2026-03-02'],
    ['Asia/Kathmandu', '2026-03-01T18:15:00.000Z', '2026-03-02'],
    ['Australia/Adelaide', '2026-04-04T13:30:00.000Z', '2026-04-05'],
    ['America/New_York', '2026-03-08T05:00:00.000Z', '2026-03-08'],
  ])('counts each ticket in its local hour in %s', (timeZone, start, day) => {
    const tickets = issuedEvery7Minutes(start, 25);
    const expected = new Array<number>(24).fill(0);
    for (const t of tickets) expected[hourThere(t.issuedAt, timeZone)]! += 1;
    expect(perHourIssued(tickets, day, timeZone)).toEqual(expected);
  });
});
