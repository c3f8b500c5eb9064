import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncError } from '../../electron/core/sync/central-client';
import { drain, openSyncDevice, type SyncDevice } from '../fixtures/central-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

/**
 * A device enrolled again into another hall: what the old enrolment still has to send goes out with its
 * token first; what cannot is never dropped without `force`, which counts it; the old hall's pulled
 * reference data goes, and the new hall's is downloaded in full on a new replica.
 */
describe('sync: enrolled again into another hall', () => {
  let central: TestCentral;
  const tmp = tempDir('ow-sync-reenroll-');
  const devices: SyncDevice[] = [];
  let hallA: string;
  let hallB: string;

  beforeAll(async () => {
    central = await startCentral();
    hallA = (await central.admin.createHall('REENRA')).id;
    hallB = (await central.admin.createHall('REENRB')).id;
    // Central's administrator appoints a clerk in each hall, with a PIN (a counter device gets its hash).
    for (const [id, hallId] of [
      ['clerk-a', hallA],
      ['clerk-b', hallB],
    ] as const) {
      const r = await central.admin.request('POST', '/admin/v1/staff', {
        id,
        login: id,
        name: id,
        roles: ['clerk'],
        hallIds: [hallId],
        pin: '123456',
      });
      expect(r.status).toBe(201);
    }
  });
  afterAll(async () => {
    for (const d of devices) await d.close();
    await central.stop();
    tmp.remove();
  });

  /** The account as the device holds it: whether it has a PIN (central sends only its hash), and may sign in. */
  const account = (d: SyncDevice, id: string) => {
    const r = d.staff.byId(id);
    return r && { hasPin: r.pinHash !== null, enabled: r.enabled };
  };

  async function deviceInHallA(name: string) {
    const d = await openSyncDevice({ dataDir: path.join(tmp.dir, name), name });
    devices.push(d);
    await d.engine.enroll(central.url, await central.admin.code(hallA, 'counter'));
    expect(await d.engine.runOnce()).toBe('ok');
    expect(account(d, 'clerk-a')).toEqual({ hasPin: true, enabled: true });
    return d;
  }
  const notesOf = async (hallId: string, device: SyncDevice) =>
    (
      await central.pool.query<{ n: number }>(
        `SELECT (args->>'n')::int AS n FROM mutations WHERE hall_id = $1 AND args->>'device' = $2 ORDER BY n`,
        [hallId, device.name],
      )
    ).rows.map((r) => r.n);

  it('pushes the old enrolment’s pending rows with its token before moving', async () => {
    const d = await deviceInHallA('moves-online');
    d.write(2);
    const { dropped } = await d.engine.enroll(central.url, await central.admin.code(hallB, 'counter'));
    expect(dropped).toBe(0);
    expect(await notesOf(hallA, d)).toEqual([0, 1]);
  });

  it('refuses while old rows cannot be delivered, then with force drops and counts them and starts clean', async () => {
    const d = await deviceInHallA('moves-revoked');
    d.write(1);
    await drain(d);
    const oldReplica = d.outbox.activeReplicaId();
    const deviceA = d.engine.status().deviceId!;
    expect((await central.admin.request('POST', `/admin/v1/devices/${deviceA}/revoke`)).status).toBe(200);
    d.write(2); // notes 1, 2: central refuses the old token now

    const code = await central.admin.code(hallB, 'counter');
    const refused = await d.engine.enroll(central.url, code).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SyncError);
    expect(refused).toMatchObject({ code: 'PENDING_ROWS' });
    expect(d.engine.status()).toMatchObject({ deviceId: deviceA, pendingCount: 2 });

    // The code was not spent by the refusal.
    const { status, dropped } = await d.engine.enroll(central.url, code, { force: true });
    expect(dropped).toBe(2);
    expect(status).toMatchObject({ hallCode: 'REENRB', pendingCount: 0 });
    expect(d.rows()).toEqual([]);
    // The old hall's clerk can no longer sign in here (the account is disabled); the pull starts again.
    expect(account(d, 'clerk-a')).toMatchObject({ enabled: false });
    expect(d.state.get().cursor).toBe('');

    d.write(1); // note 3, on a new replica, for hall B
    await drain(d);
    expect(d.engine.status().replicaId).not.toBe(oldReplica);
    expect(d.engine.status().lastError).toBeNull();
    expect(account(d, 'clerk-b')).toEqual({ hasPin: true, enabled: true });
    expect(await notesOf(hallB, d)).toEqual([3]);
    expect(await notesOf(hallA, d)).toEqual([0]);
  });

  it('disables the clerks created on this device when it moves (accounts disabled, not a disabled PIN hash), and keeps every clerk within the hall', async () => {
    const d = await deviceInHallA('local-clerks');
    // As `staff.upsert` stores a clerk on a hub: the hall's own account, not central's row.
    d.staff.upsert({
      id: 'clerk-local',
      login: 'clerk-local',
      name: '本地',
      roles: ['clerk'],
      enabled: true,
      pinHash: 'hash-local',
      passwordHash: null,
      totpSecret: null,
      source: 'hall',
      updatedAt: new Date().toISOString(),
    });

    await d.engine.enroll(central.url, await central.admin.code(hallA, 'counter'));
    expect(account(d, 'clerk-local')).toEqual({ hasPin: true, enabled: true });
    expect(account(d, 'clerk-a')).toEqual({ hasPin: true, enabled: true });

    await d.engine.enroll(central.url, await central.admin.code(hallB, 'counter'));
    expect(account(d, 'clerk-local')).toMatchObject({ enabled: false });
    expect(account(d, 'clerk-a')).toMatchObject({ enabled: false });
  });
});
