import { afterEach, describe, expect, it, vi } from 'vitest';
import { timeZone } from '@shared/api/methods/queue';

/**
 * Every counter view's output carries the hall's zone and is checked against the contract: a formatter built
 * per check was a fifth of the hub's work on "call next" and native memory that grew under load.
 */
describe('the time zone schema', () => {
  afterEach(() => vi.restoreAllMocks());

  it('checks a zone it has seen without building another formatter, and still refuses an unknown one', () => {
    const built = vi.spyOn(Intl, 'DateTimeFormat');
    for (let i = 0; i < 1000; i++) expect(timeZone.safeParse('Asia/Shanghai').success).toBe(true);
    expect(built.mock.calls.length).toBeLessThanOrEqual(1);
    expect(timeZone.safeParse('Mars/Olympus_Mons').success).toBe(false);
    expect(timeZone.safeParse('Mars/Olympus_Mons').success).toBe(false);
  });
});
