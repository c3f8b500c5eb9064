import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { SYNC_SCHEMA_HEADER, type PullResponse } from '@shared/sync/wire';
import { openSyncDevice } from '../fixtures/central-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

const sync = { [SYNC_SCHEMA_HEADER]: String(SYNC_SCHEMA_VERSION) };

/**
 * A kiosk's device token asked central for `kinds=staff` and got every clerk of the hall (names, logins;
 * before the credentials were stripped, PIN hashes a laptop cracks in minutes): the client chose its kinds
 * and central filtered nothing by role. Each kind now goes only to the roles that need it, and asking for
 * any other is a 403 naming the refused kinds, not a quietly empty page.
 */
describe('sync: each reference kind goes only to the device roles that need it', () => {
  let central: TestCentral;
  let hallId: string;
  const tokens = new Map<string, string>();

  const enrol = async (role: string) => {
    const code = await central.admin.code(hallId, role, role === 'leader' ? await central.admin.leader(hallId) : null);
    const res = await fetch(`${central.url}/sync/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sync },
      body: JSON.stringify({ code, deviceName: role }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  };
  const pull = async (role: string, kinds: string) => {
    const res = await fetch(`${central.url}/sync/v1/pull?cursor=&kinds=${kinds}`, {
      headers: { authorization: `Bearer ${tokens.get(role)!}`, ...sync },
    });
    return { status: res.status, json: (await res.json()) as PullResponse & { error?: string; kinds?: string[] } };
  };

  beforeAll(async () => {
    central = await startCentral();
    hallId = (await central.admin.createHall('LPRIV')).id;
    const made = await central.admin.request('POST', '/admin/v1/staff', {
      id: 'lp-clerk',
      login: 'lp.clerk',
      name: '甲',
      roles: ['clerk'],
      hallIds: [hallId],
      pin: '246810',
    });
    expect(made.status).toBe(201);
    for (const role of ['kiosk', 'display', 'leader', 'counter', 'hub', 'admin']) tokens.set(role, await enrol(role));
  });
  afterAll(() => central.stop());

  it('refuses staff to kiosks, displays and leader PCs with 403 KIND_FORBIDDEN, asked alone or among allowed kinds', async () => {
    for (const role of ['kiosk', 'display', 'leader']) {
      for (const kinds of ['staff', 'holiday,staff,hall.zone']) {
        const r = await pull(role, kinds);
        expect(r.status, `${role} ${kinds}`).toBe(403);
        expect(r.json).toMatchObject({ error: 'KIND_FORBIDDEN', kinds: ['staff'] });
        expect(JSON.stringify(r.json)).not.toContain('lp.clerk');
      }
    }
  });

  it("refuses a case's or a complaint's progress to public screens and leader PCs", async () => {
    for (const role of ['kiosk', 'display', 'leader']) {
      const r = await pull(role, 'case.status,feedback.status');
      expect(r.status, role).toBe(403);
      expect(r.json).toMatchObject({ error: 'KIND_FORBIDDEN', kinds: ['case.status', 'feedback.status'] });
    }
  });

  it("refuses leader content to every device but a leader's", async () => {
    for (const role of ['kiosk', 'display', 'counter', 'hub', 'admin']) {
      const r = await pull(role, 'leader.schedule,leader.briefing,leader.file');
      expect(r.status, role).toBe(403);
      expect(r.json.error).toBe('KIND_FORBIDDEN');
    }
    expect((await pull('leader', 'leader.schedule,leader.briefing,leader.file')).status).toBe(200);
  });

  it('gives clerk credentials to counter PCs, the hub and admin PCs', async () => {
    for (const role of ['counter', 'hub', 'admin']) {
      const r = await pull(role, 'staff');
      expect(r.status, role).toBe(200);
      const clerk = r.json.rows.find((row) => row.id === 'lp-clerk');
      expect((clerk!.data as { pinHash: string }).pinHash, role).toMatch(/^scrypt\$/);
    }
  });

  it('lets every device have the public kinds (catalog, holidays, the hall zone)', async () => {
    for (const role of ['kiosk', 'display', 'leader', 'counter', 'hub', 'admin']) {
      const r = await pull(role, 'catalog.department,catalog.matter,holiday,hall.zone');
      expect(r.status, role).toBe(200);
    }
  });

  it('a kiosk device asks only for what its role may have: its rounds succeed and it holds no staff account', async () => {
    const dirs = [tempDir('ow-sec-lp-kiosk-'), tempDir('ow-sec-lp-counter-')];
    const kiosk = await openSyncDevice({ dataDir: dirs[0]!.dir, name: 'kiosk' });
    const counter = await openSyncDevice({ dataDir: dirs[1]!.dir, name: 'counter' });
    try {
      await kiosk.engine.enroll(central.url, await central.admin.code(hallId, 'kiosk'));
      await counter.engine.enroll(central.url, await central.admin.code(hallId, 'counter'));
      expect(await kiosk.engine.runOnce()).toBe('ok');
      expect(await counter.engine.runOnce()).toBe('ok');
      const staffOf = (d: typeof kiosk) => d.db.prepare('SELECT id FROM staff').all() as { id: string }[];
      expect(staffOf(kiosk)).toEqual([]);
      expect(staffOf(counter).map((s) => s.id)).toContain('lp-clerk');
      expect(kiosk.state.get().cursorKinds.split(',')).not.toContain('staff');
    } finally {
      await kiosk.close();
      await counter.close();
      for (const d of dirs) d.remove();
    }
  });
});
