import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationDefs } from '@shared/sync/mutations';
import type { MutationOutcome, PullResponse } from '@shared/sync/wire';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { syncReplica } from '../fixtures/sync-replica';

const uuid = () => crypto.randomUUID();
const hex64 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const HASH = 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=';

/** A device of a hall on central's HTTP API: enrolled with a code, one replica, consecutive seqs. */
async function device(central: TestCentral, hallId: string, role: string) {
  const r = await syncReplica(central, hallId, { role });
  const pullRaw = (kinds: string) =>
    fetch(`${central.url}/sync/v1/pull?cursor=&kinds=${kinds}`, { headers: r.headers });
  return {
    deviceId: r.deviceId,
    async push(name: string, args: unknown, actorStaffId: string | null = null): Promise<MutationOutcome> {
      const res = await r.push<{ outcomes: MutationOutcome[] }>([r.next(name, args, { actorStaffId })]);
      expect(res.status).toBe(200);
      return res.body.outcomes[0]!;
    },
    pullRaw,
    async pull(kinds: string): Promise<PullResponse> {
      const res = await pullRaw(kinds);
      expect(res.status).toBe(200);
      return (await res.json()) as PullResponse;
    },
  };
}

describe('staff accounts on the sync channel', () => {
  let central: TestCentral;
  let hallA: string;
  let hallB: string;

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs] });
    hallA = (await central.admin.createHall('IDSA')).id;
    hallB = (await central.admin.createHall('IDSB')).id;
    const created = await central.admin.request('POST', '/admin/v1/staff', {
      id: 'k-a',
      login: 'clerk.a',
      name: '甲',
      roles: ['clerk'],
      hallIds: [hallA],
      pin: '246810',
    });
    expect(created.status).toBe(201);
    await central.admin.request('POST', '/admin/v1/staff', {
      id: 'k-b',
      login: 'clerk.b',
      name: '乙',
      roles: ['clerk'],
      hallIds: [hallB],
      pin: '135790',
    });
  });
  afterAll(() => central.stop());

  it('refuses staff rows to kiosks, displays and leader PCs, whatever else they ask (tests/security)', async () => {
    for (const role of ['kiosk', 'display', 'leader']) {
      const d = await device(central, hallA, role);
      const res = await d.pullRaw('staff,holiday');
      expect(res.status, role).toBe(403);
      expect(await res.text()).not.toContain('clerk.a');
    }
  });

  it('gives a counter PC the PIN hashes but never a password hash or TOTP secret; hubs and admin PCs all', async () => {
    await central.admin.request('POST', '/admin/v1/staff', {
      id: 'sup-a',
      login: 'sup.a',
      name: '丁',
      roles: ['clerk', 'supervisor'],
      hallIds: [hallA],
      pin: '975310',
    });
    await central.admin.request('POST', '/admin/v1/staff/sup-a/password', { password: 'supervisor-2026' });
    const ofSupervisor = async (role: string) =>
      (await (await device(central, hallA, role)).pull('staff')).rows.find((r) => r.id === 'sup-a')!.data as {
        pinHash: string | null;
        passwordHash: string | null;
        totpSecret: string | null;
      };
    expect(await ofSupervisor('counter')).toMatchObject({ passwordHash: null, totpSecret: null });
    expect((await ofSupervisor('counter')).pinHash).toMatch(/^scrypt\$/);
    for (const role of ['hub', 'admin']) {
      const data = await ofSupervisor(role);
      expect(data.passwordHash, role).toMatch(/^scrypt\$/);
      expect(data.totpSecret, role).toMatch(/^[A-Z2-7]+$/);
    }
    await central.admin.request('PATCH', '/admin/v1/staff/sup-a', { enabled: false });
  });

  it('gives counters, hubs and admin PCs the hashes they verify sign-ins with', async () => {
    for (const role of ['counter', 'hub', 'admin']) {
      const page = await (await device(central, hallA, role)).pull('staff');
      const rows = page.rows.filter((r) => r.id === 'k-a');
      expect(rows).toHaveLength(1);
      expect((rows[0]!.data as { pinHash: string }).pinHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    }
  });

  it("applies a hub's staff.upsert in its own hall only, and refuses anyone a hall may not grant", async () => {
    const hubA = await device(central, hallA, 'hub');
    const args = (staffId: string, login: string, roles = ['clerk']) => ({
      staffId,
      login,
      name: '丙',
      roles,
      enabled: true,
      pinHash: HASH,
      at: new Date().toISOString(),
    });
    const made = await hubA.push('staff.upsert@1', args('k-new', 'clerk.new'), 'hall-admin-1');
    expect(made).toMatchObject({ status: 'applied' });
    const staff = await central.admin.request<{ id: string; source: string; hallIds: string[] }[]>(
      'GET',
      `/admin/v1/staff?hallId=${hallA}`,
    );
    expect(staff.json.find((s) => s.id === 'k-new')).toMatchObject({ source: 'hall', hallIds: [hallA] });
    const counterA = await device(central, hallA, 'counter');
    const pulled = await counterA.pull('staff');
    expect(pulled.rows.find((r) => r.id === 'k-new')?.data).toMatchObject({ pinHash: HASH });

    // Hall B's clerk, from hall A's hub: a business rejection, and hall B's account is untouched.
    expect(await hubA.push('staff.upsert@1', args('k-b', 'clerk.b'))).toMatchObject({
      status: 'rejected',
      result: { reason: 'STAFF_OF_ANOTHER_HALL' },
    });
    const admin = await central.admin.request('POST', '/admin/v1/staff', {
      id: 'ha-a',
      login: 'halladmin.a',
      name: '管',
      roles: ['hall_admin'],
      hallIds: [hallA],
    });
    expect(admin.status).toBe(201);
    expect(await hubA.push('staff.upsert@1', args('ha-a', 'halladmin.a'))).toMatchObject({
      status: 'rejected',
      result: { reason: 'STAFF_NOT_HALL_GRANTABLE' },
    });
    // A role a hall may not grant never even passes the schema.
    expect(await hubA.push('staff.upsert@1', args('k-x', 'clerk.x', ['hall_admin']))).toMatchObject({
      status: 'rejected',
    });
    expect(await hubA.push('staff.upsert@1', args('k-y', 'clerk.a'))).toMatchObject({
      status: 'rejected',
      result: { reason: 'LOGIN_TAKEN' },
    });
    // Only hubs and admin PCs write accounts.
    expect(await counterA.push('staff.upsert@1', args('k-z', 'clerk.z'))).toMatchObject({ status: 'rejected' });

    const log = await central.admin.request<{ name: string; actorStaffId: string | null }[]>(
      'GET',
      `/admin/v1/halls/${hallA}/mutations`,
    );
    expect(log.json.find((m) => m.name === 'staff.upsert')).toMatchObject({ actorStaffId: 'hall-admin-1' });
    const b = await central.admin.request<{ id: string; name: string }[]>('GET', `/admin/v1/staff?hallId=${hallB}`);
    expect(b.json).toEqual([expect.objectContaining({ id: 'k-b', name: '乙' })]);
  });

  it('keeps device audit rows append-only and flags a chain that does not continue', async () => {
    const kiosk = await device(central, hallA, 'kiosk');
    const row = (seq: number, prev: string) => ({
      auditId: uuid(),
      seq,
      hash: hex64(`row${seq}`),
      prevHash: prev,
      at: new Date().toISOString(),
      action: 'sign_in_failed',
      actorStaffId: null,
      actorLogin: 'someone',
      origin: 'kiosk',
      target: null,
      outcome: 'refused',
      detail: { reason: 'x' },
    });
    expect(await kiosk.push('audit.record@1', row(1, '0'.repeat(64)))).toMatchObject({ status: 'applied' });
    expect(await kiosk.push('audit.record@1', row(2, hex64('row1')))).toMatchObject({ status: 'applied' });
    expect(await kiosk.push('audit.record@1', row(4, hex64('row3')))).toMatchObject({ status: 'applied' });
    expect(await kiosk.push('audit.record@1', row(2, hex64('row1')))).toMatchObject({
      status: 'rejected',
      result: { reason: 'AUDIT_SEQ_TAKEN' },
    });
    const { rows } = await central.pool.query<{ seq: number; chain_ok: boolean; hall_id: string }>(
      'SELECT seq, chain_ok, hall_id FROM device_audit WHERE device_id = $1 ORDER BY seq',
      [kiosk.deviceId],
    );
    expect(rows.map((r) => [r.seq, r.chain_ok])).toEqual([
      [1, true],
      [2, true],
      [4, false],
    ]);
    expect(rows.every((r) => r.hall_id === hallA)).toBe(true);
    await expect(central.pool.query('DELETE FROM device_audit')).rejects.toThrow(/append-only/);
  });
});
