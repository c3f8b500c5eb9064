import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTING_HEADER, HTTP_API } from '@shared/api';
import { startHubProcess } from '../fixtures/hub-process';
import { DEMO_PIN } from '../fixtures/staff';

/**
 * A counter PC's hub token is a file on that PC: whoever copies it must get no more than the PC's own
 * forwarded queue calls, and must not act as a person the hub never signed in from that PC.
 */
describe('a hall device acting for a person at the hub', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  beforeAll(async () => {
    hub = await startHubProcess({ counters: 1 });
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });

  const post = async (method: string, input: unknown, acting?: string) => {
    const res = await fetch(`${hub.url}${HTTP_API.call(method)}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${hub.tokens.counter}`,
        ...(acting ? { [ACTING_HEADER]: acting } : {}),
      },
      body: JSON.stringify(input),
    });
    return (await res.json()) as { ok: boolean; error?: { code: string } };
  };

  it('reads nothing beyond the queue on the token alone', async () => {
    for (const method of ['case.list', 'applicant.profile', 'feedback.list', 'audit.list']) {
      expect(await post(method, {}), method).toMatchObject({ ok: false });
      expect((await post(method, {})).error?.code, method).toMatch(/SIGN_IN_REQUIRED|FORBIDDEN/);
    }
  });

  it('cannot name a supervisor the hub never signed in from this device', async () => {
    expect(await post('feedback.list', {}, 'super01')).toMatchObject({
      ok: false,
      error: { code: 'SIGN_IN_REQUIRED' },
    });
  });

  it('acts for the clerk it signed in, and only for them', async () => {
    const signedIn = await post('queue.counter.signIn', { counterId: 'w1', login: 'clerk01', pin: DEMO_PIN });
    expect(signedIn).toMatchObject({ ok: true });
    expect(await post('case.list', {}, 'clerk01')).toMatchObject({ ok: true });
    expect(await post('case.list', {}, 'clerk02')).toMatchObject({ ok: false, error: { code: 'SIGN_IN_REQUIRED' } });
  });
});
