import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaderIdOf } from '../../central/src/office/leader-id';
import { startCentral, type TestCentral } from '../fixtures/central-server';

/**
 * The admin API made a leader-PC enrolment code for any UUID: a leader device could be enrolled for a
 * leader id nobody holds, or another hall's leader, or one whose account is disabled (the console already
 * refused these). Only an enabled leader of that hall is taken.
 */
describe('central admin API: a leader-PC code names an enabled leader of its hall', () => {
  let central: TestCentral;
  let hallA: string;
  let hallB: string;
  const code = (hallId: string, leaderId: string) =>
    central.admin.request<{ code?: string }>('POST', `/admin/v1/halls/${hallId}/enrollment-codes`, {
      role: 'leader',
      leaderId,
    });

  beforeAll(async () => {
    central = await startCentral();
    hallA = (await central.admin.createHall('LDRA')).id;
    hallB = (await central.admin.createHall('LDRB')).id;
  });
  afterAll(() => central.stop());

  it('refuses a UUID that is no leader', async () => {
    const r = await code(hallA, crypto.randomUUID());
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it("refuses another hall's leader", async () => {
    const r = await code(hallA, await central.admin.leader(hallB));
    expect(r.status).toBe(400);
  });

  it('refuses a disabled leader', async () => {
    const created = await central.admin.request<{ id: string }>('POST', '/admin/v1/staff', {
      login: 'leader.off',
      name: '停用领导',
      roles: ['leader'],
      hallIds: [hallA],
      enabled: false,
    });
    expect(created.status).toBe(201);
    expect((await code(hallA, leaderIdOf(created.json.id))).status).toBe(400);
  });

  it('takes an enabled leader of the hall', async () => {
    const r = await code(hallA, await central.admin.leader(hallA));
    expect(r.status).toBe(201);
    expect(typeof r.json.code).toBe('string');
  });
});
