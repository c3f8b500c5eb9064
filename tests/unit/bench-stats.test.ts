import { describe, expect, it } from 'vitest';
import { checkNumbers, median, perSecond, quantile, ratio, summarize } from '../../bench/lib/stats';

// The arithmetic `npm run bench` reports with (the bench itself is never run by the tests).
describe('bench stats', () => {
  it('takes quantiles by nearest rank', () => {
    const s = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(s, 0.5)).toBe(50);
    expect(quantile(s, 0.99)).toBe(99);
    expect(quantile(s, 1)).toBe(100);
    expect(quantile([7], 0.99)).toBe(7);
    expect(quantile([], 0.5)).toBe(0);
  });

  it('summarizes unsorted samples', () => {
    expect(summarize([3, 1, 2, 10])).toEqual({ n: 4, p50Ms: 2, p99Ms: 10, maxMs: 10 });
    expect(summarize([])).toEqual({ n: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 });
  });

  it('reports the median of runs as one of the runs', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(() => median([])).toThrow();
  });

  it('counts throughput over wall time, not from a latency', () => {
    expect(perSecond(5000, 2000)).toBe(2500);
    expect(perSecond(10, 0)).toBe(0);
  });

  it('divides by the limit and refuses a limit that is not positive', () => {
    expect(ratio(743, 4613)).toBe(0.161);
    expect(() => ratio(1, 0)).toThrow();
    expect(() => ratio(1, Number.NaN)).toThrow();
  });
});

describe('checkNumbers', () => {
  const issued = (queueId: string, ...numbers: string[]) => numbers.map((number) => ({ queueId, number }));

  it('accepts unique, gapless numbers per queue, three and four digits alike', () => {
    const seqs = Array.from({ length: 1001 }, (_, i) => `A${String(i + 1).padStart(3, '0')}`);
    const r = checkNumbers([...issued('general', ...seqs), ...issued('fund', 'E002', 'E001')]);
    expect(r).toMatchObject({ tickets: 1003, unique: true, gapless: true, perQueue: { general: 1001, fund: 2 } });
  });

  it('finds a number handed out twice in a queue', () => {
    const r = checkNumbers(issued('general', 'A001', 'A002', 'A002'));
    expect(r).toMatchObject({ unique: false, gapless: true, duplicates: 1 });
  });

  it('keeps queues apart: the same number in two queues is no duplicate', () => {
    expect(checkNumbers([...issued('general', 'A001'), ...issued('social', 'A001')]).unique).toBe(true);
  });

  it('finds skipped numbers', () => {
    const r = checkNumbers(issued('general', 'A001', 'A004'));
    expect(r).toMatchObject({ unique: true, gapless: false, missing: 2 });
  });

  it('counts a number that is no prefix and sequence from 1 as malformed', () => {
    const r = checkNumbers(issued('general', 'A001', '42', 'A000'));
    expect(r).toMatchObject({ unique: false, gapless: false, malformed: 2 });
  });
});
