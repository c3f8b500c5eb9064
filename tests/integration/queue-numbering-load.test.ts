import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess } from '../fixtures/hub-process';

type Issued = { ticket: { id: string; number: string } };

describe('single allocator under concurrency (hub process, HTTP)', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  beforeAll(async () => {
    hub = await startHubProcess({ kiosks: 8 });
  }, 120_000);
  afterAll(() => hub.stop());

  it('8 kiosks × 500 issues give 4000 unique, gapless numbers', async () => {
    const perKiosk = await Promise.all(
      hub.tokens.kiosks.map(async (token) => {
        const numbers: string[] = [];
        for (let i = 0; i < 500; i++) {
          const r = await hub.call(token, 'queue.ticket.issue', {
            mutationId: hub.mutationId(),
            queueId: 'general',
            applicantType: 'person',
          });
          expect(r.ok, JSON.stringify(r)).toBe(true);
          numbers.push((r.value as Issued).ticket.number);
        }
        return numbers;
      }),
    );
    const all = perKiosk.flat();
    expect(all).toHaveLength(4000);
    expect(new Set(all).size).toBe(4000);
    const seqs = all.map((n) => Number(n.slice(1))).sort((a, b) => a - b);
    expect(seqs[0]).toBe(1);
    expect(seqs.at(-1)).toBe(4000);
    // 3 digits up to 999, then 4.
    expect(all).toContain('A001');
    expect(all).toContain('A999');
    expect(all).toContain('A1000');
    // Each kiosk saw its own numbers rise: one allocator, in commit order.
    for (const nums of perKiosk) {
      const s = nums.map((n) => Number(n.slice(1)));
      expect(s).toEqual([...s].sort((a, b) => a - b));
    }
  }, 240_000);

  it('a retried issue with the same mutation id returns the same ticket', async () => {
    const input = { mutationId: hub.mutationId(), queueId: 'social', applicantType: 'person' };
    const [a, b] = await Promise.all([
      hub.call(hub.tokens.kiosks[0]!, 'queue.ticket.issue', input),
      hub.call(hub.tokens.kiosks[1]!, 'queue.ticket.issue', input),
    ]);
    const c = await hub.call(hub.tokens.kiosks[2]!, 'queue.ticket.issue', input);
    const ids = [a, b, c].map((r) => (r.value as Issued).ticket.id);
    expect(new Set(ids).size).toBe(1);
  });
});
