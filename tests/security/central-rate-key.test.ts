import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_API } from '@shared/console/session';
import { startCentral, type TestCentral } from '../fixtures/central-server';

/**
 * Central's rate limit keyed on whatever Bearer value came: a client that sends a new random token with
 * each request was never limited (each counted as a device of its own). Unknown tokens count by address.
 */
describe('central: an unknown bearer token counts against its address', () => {
  let central: TestCentral;
  beforeAll(async () => {
    central = await startCentral({ rateLimitPerMinute: 8 });
  });
  afterAll(() => central.stop());

  it('limits a client that sends a fresh random token with each request', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${central.url}${CONSOLE_API}/session`, {
        headers: { authorization: `Bearer ${crypto.randomBytes(24).toString('base64url')}` },
      });
      statuses.push(res.status);
    }
    // The fixture's own setup may have spent some of this address's allowance: at most 8 get through.
    const first = statuses.indexOf(429);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThanOrEqual(8);
    expect(statuses.slice(0, first).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(first).every((s) => s === 429)).toBe(true);
  });
});
