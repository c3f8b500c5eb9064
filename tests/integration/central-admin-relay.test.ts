import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralAdminMethods } from '@shared/api/methods/central-admin';
import { centralAdminSignIn, createCentralAdminClient } from '../../electron/core/sync/central-admin-client';
import { TEST_PASSWORD, totpCode } from '../fixtures/central-identity';
import { startCentral, type TestCentral } from '../fixtures/central-server';

/**
 * The admin page's relay to central's admin API (what the core's `central.admin.*` handlers call): a
 * person signs in, and each call carries their session token.
 */
describe('central administration through the device relay', () => {
  let central: TestCentral;

  beforeAll(async () => {
    central = await startCentral();
  });
  afterAll(() => central.stop());

  const refusal = (e: unknown) => ({
    code: (e as { code: string }).code,
    reason: (e as { details: { reason: string } }).details.reason,
  });

  it('signs in, creates a hall, a clerk and a holiday under the session, and signs out', async () => {
    const { login, totpSecret } = central.adminSession;
    const wrong = await centralAdminSignIn({
      centralUrl: central.url,
      login,
      password: 'not-the-password-1',
      totp: totpCode(totpSecret, 1),
    }).catch(refusal);
    expect(wrong).toEqual({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' });
    const session = await centralAdminSignIn({
      centralUrl: central.url,
      login,
      password: TEST_PASSWORD,
      totp: totpCode(totpSecret, 1),
    });
    expect(session.person).toMatchObject({ login, roles: ['central_admin'] });
    const client = createCentralAdminClient({ centralUrl: central.url, sessionToken: session.token });

    const hall = await client.createHall({ code: 'ADM01', name: '管理大厅' });
    expect(await client.createHall({ code: 'ADM01', name: '重复' }).catch(refusal)).toMatchObject({
      code: 'CONFLICT',
    });
    expect(await client.halls()).toEqual([expect.objectContaining({ code: 'ADM01' })]);
    expect(await client.putClerk({ hallId: hall.id, clerkId: 'k9', name: '赵六', pin: '246810' })).toMatchObject({
      kind: 'staff',
      id: 'k9',
    });
    const holiday = { kind: 'holiday', id: '2026-10-01', hallId: null, leaderId: null };
    expect(
      await client.putRef({ ...holiday, data: { date: '2026-10-01', workday: false, name: '国庆节' } }),
    ).toMatchObject({ kind: 'holiday' });
    expect(await client.putRef({ ...holiday, data: { date: 'not a date' } }).catch(refusal)).toEqual({
      code: 'INVALID_INPUT',
      reason: 'CENTRAL_INVALID',
    });
    expect((await client.enrollmentCode(hall.id, { role: 'admin', leaderId: null })).code).toMatch(/^\w{4}-/);

    await client.signOut();
    expect(await client.halls().catch(refusal)).toEqual({ code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED' });
  });

  it('takes a session token, never the old admin token, in every relayed method', () => {
    const input = { centralUrl: central.url, adminToken: 'test-admin-token-0123456789-abcdefgh' };
    expect(centralAdminMethods['central.admin.halls'].input.safeParse(input).success).toBe(false);
    const session = { centralUrl: central.url, sessionToken: 'x'.repeat(43) };
    expect(centralAdminMethods['central.admin.halls'].input.safeParse(session).success).toBe(true);
    expect(
      centralAdminMethods['central.admin.signIn'].input.safeParse({
        centralUrl: central.url,
        login: 'Admin',
        password: 'p',
        totp: '123456',
        extra: 1,
      }).success,
    ).toBe(false);
  });
});
