import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationDefs } from '@shared/sync/mutations';
import type { MutationOutcome, PullResponse } from '@shared/sync/wire';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { syncReplica } from '../fixtures/sync-replica';

const HASH = 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=';
const HASH2 = 'scrypt$32768$8$1$b3RoZXJzYWx0b3RoZXJzYQ==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=';

/**
 * Review: a supervisor a hall administrator makes (or resets) on the hub gets a password and a new TOTP
 * secret there; the hub verifies codes offline, so central must keep the secret that came with the
 * password and send it back down. If central keeps the old one (or none), the next pull gives the hub
 * the old authenticator back (whoever knew it is in again) or none (the supervisor is locked out).
 */
describe('review: staff.upsert from a hub keeps the new TOTP secret that comes with a new password', () => {
  let central: TestCentral;
  let hall: string;

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs] });
    hall = (await central.admin.createHall('RVTP')).id;
  });
  afterAll(() => central.stop());

  async function hub() {
    const r = await syncReplica(central, hall, { role: 'hub' });
    return {
      async push(args: unknown): Promise<MutationOutcome> {
        const res = await r.push<{ outcomes: MutationOutcome[] }>([
          r.next('staff.upsert@1', args, { actorStaffId: 'admin01' }),
        ]);
        return res.body.outcomes[0]!;
      },
      async pulledTotp(id: string): Promise<unknown> {
        const res = await fetch(`${central.url}/sync/v1/pull?cursor=&kinds=staff`, { headers: r.headers });
        const page = (await res.json()) as PullResponse;
        return (page.rows.find((x) => x.id === id)?.data as { totpSecret?: unknown } | undefined)?.totpSecret;
      },
    };
  }

  it('sends the hub back the secret it issued with the password, and the newer one after a reset', async () => {
    const h = await hub();
    const base = { staffId: 'sup-rv', login: 'sup.rv', name: '督', roles: ['supervisor'], enabled: true };
    const first = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    expect(
      await h.push({ ...base, passwordHash: HASH, totpSecret: first, at: new Date().toISOString() }),
    ).toMatchObject({ status: 'applied' });
    expect(await h.pulledTotp('sup-rv')).toBe(first);

    // The hall administrator resets the password: a new authenticator, the old one is out.
    const second = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
    expect(
      await h.push({ ...base, passwordHash: HASH2, totpSecret: second, at: new Date().toISOString() }),
    ).toMatchObject({ status: 'applied' });
    expect(await h.pulledTotp('sup-rv')).toBe(second);

    // A change without a new password (a rename) keeps the secret.
    expect(await h.push({ ...base, name: '督二', at: new Date().toISOString() })).toMatchObject({
      status: 'applied',
    });
    expect(await h.pulledTotp('sup-rv')).toBe(second);
  });
});
