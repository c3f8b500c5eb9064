import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_API } from '@shared/console/session';
import { TRACKING_PATH } from '@shared/console/tracking';
import { migrate } from '../../central/src/db/migrate';
import { TRACKING_RATE_LIMIT_PER_MINUTE } from '../../central/src/tracking/tracking-routes';
import { buildCentral } from '../../central/src/server';
import { createTestDatabase, type TestDatabase } from '../fixtures/central-db';

const LIMIT = 6;

/**
 * The unauthenticated routes a guesser would use — staff sign-in (console and admin API), first-password
 * setup, the old admin token's exchange, device enrolment with a code, the public tracking lookup — count
 * per client address. The global limit keyed on the raw address: a client holding an IPv6 /64 (what any
 * home or cloud line gets) sent each guess from a fresh address and was never limited. Addresses of one
 * /64 are one client, as the public pages' own limits already counted them.
 */
describe('central: unauthenticated routes are limited per client address', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await createTestDatabase();
    const pool = database.createPool(1);
    await migrate(pool);
    app = await buildCentral({ pool, nudges: false, rateLimitPerMinute: LIMIT });
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const routes: [string, string, Record<string, string>][] = [
    ['POST', `${CONSOLE_API}/session`, { login: 'someone', password: 'guess-1234567' }],
    ['POST', '/admin/v1/session', { login: 'someone', password: 'guess-1234567' }],
    ['POST', '/admin/v1/setup', { login: 'someone', code: 'ABCD-EFGH-JKLM', password: 'guess-1234567' }],
    ['POST', '/admin/v1/bootstrap/exchange', { login: 'x', name: 'x', password: 'guess-1234567' }],
    ['POST', '/sync/v1/enroll', { code: 'ABCD-EFGH-JKLM', deviceName: 'guess' }],
  ];

  for (const [method, url, payload] of routes) {
    it(`${method} ${url}: fresh addresses of one /64 share one allowance`, async () => {
      const statuses: number[] = [];
      for (let i = 1; i <= LIMIT + 3; i++) {
        // A distinct /64 per route, so the routes' counts do not mix.
        const remoteAddress = `2001:db8:${routes.findIndex((r) => r[1] === url) + 1}:0::${i.toString(16)}`;
        const res = await app.inject({ method: method as 'POST', url, payload, remoteAddress });
        statuses.push(res.statusCode);
      }
      expect(statuses.slice(0, LIMIT)).not.toContain(429);
      expect(statuses.slice(LIMIT)).toEqual([429, 429, 429]);
    });
  }

  it('the tracking lookup: fresh addresses of one /64 share its allowance', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= TRACKING_RATE_LIMIT_PER_MINUTE + 2; i++) {
      const res = await app.inject({
        method: 'GET',
        url: `${TRACKING_PATH}?caseNumber=X-0001&code=ABCDEFGH`,
        remoteAddress: `2001:db8:99:0::${i.toString(16)}`,
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });
});
