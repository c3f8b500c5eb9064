import { describe, expect, it } from 'vitest';
import { ticketStats, type TicketFact } from '@shared/insight/ticket-stats';

const fact = (over: Partial<TicketFact>): TicketFact => ({
  id: 't',
  queueId: 'general',
  parentId: null,
  state: 'done',
  counterId: 'w1',
  issuedAt: '2026-03-02T02:00:00.000Z',
  firstCalledAt: '2026-03-02T02:05:00.000Z',
  serviceStartedAt: '2026-03-02T02:06:00.000Z',
  finishedAt: '2026-03-02T02:08:00.000Z',
  ...over,
});

describe('ticket statistics of a transfer made in service', () => {
  it('count the service time spent before the transfer, not as a ticket served', () => {
    const stats = ticketStats({
      from: '2026-03-02',
      to: '2026-03-02',
      timeZone: 'Asia/Shanghai',
      now: new Date('2026-03-02T03:00:00.000Z'),
      tickets: [
        fact({ id: 'a' }),
        // Served 60 s at counter 1, then sent to the right desk, where the child is served 120 s.
        fact({ id: 'b', state: 'transferred', finishedAt: '2026-03-02T02:07:00.000Z' }),
        fact({ id: 'b2', parentId: 'b', counterId: 'w5', queueId: 'property' }),
        // Transferred before service began: no service time.
        fact({ id: 'c', state: 'transferred', serviceStartedAt: null, finishedAt: null }),
      ],
      finishes: [],
      sessions: () => [],
      queues: [
        { id: 'general', nameZh: '综合', nameEn: 'General' },
        { id: 'property', nameZh: '不动产', nameEn: 'Property' },
      ],
      counters: [
        { id: 'w1', number: 1, name: '1' },
        { id: 'w5', number: 5, name: '5' },
      ],
      clerks: [],
    });
    expect(stats.totals.served).toBe(2);
    expect(stats.service.count).toBe(3);
    expect(stats.byCounter.find((c) => c.counterId === 'w1')?.service).toMatchObject({ count: 2, avgSeconds: 90 });
    expect(stats.byQueue.find((q) => q.queueId === 'general')?.served).toBe(1);
  });
});
