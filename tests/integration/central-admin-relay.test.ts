import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceConfigSchema } from '@shared/config';
import { createCore, type Core } from '../../electron/core/app/create-core';
import { DEMO_COUNTERS } from '../../electron/core/queue/demo-hall';
import { ADMIN_TOKEN, startCentral, type TestCentral } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

const admin = { role: 'admin' as const, transport: 'ipc' as const, origin: 'test' };
const counter = { role: 'counter' as const, transport: 'ipc' as const, origin: 'test' };

/** The admin page's central administration, relayed by the core to central's admin API. */
describe('central administration through the core', () => {
  let central: TestCentral;
  let core: Core;
  const tmp = tempDir('ow-central-admin-');
  let access: { centralUrl: string; adminToken: string };

  beforeAll(async () => {
    central = await startCentral();
    access = { centralUrl: central.url, adminToken: ADMIN_TOKEN };
    const config = deviceConfigSchema.parse({
      hall: { code: 'ADM01', name: '管理' },
      deviceCode: 'A1',
      roles: ['admin'],
      demo: true,
    });
    core = await createCore({ dataDir: tmp.dir, config, appVersion: 'test', sync: { autoStart: false } });
  });
  afterAll(async () => {
    core.close();
    await central.stop();
    tmp.remove();
  });

  it('creates a hall, a code, a clerk and a holiday; the enrolled device pulls the clerk', async () => {
    const hall = await core.dispatch(admin, 'central.admin.createHall', { ...access, code: 'ADM01', name: '管理大厅' });
    expect(hall).toMatchObject({ ok: true, value: { code: 'ADM01' } });
    const hallId = (hall as { value: { id: string } }).value.id;
    expect(
      await core.dispatch(admin, 'central.admin.createHall', { ...access, code: 'ADM01', name: '重复' }),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await core.dispatch(admin, 'central.admin.halls', access)).toMatchObject({
      ok: true,
      value: [{ code: 'ADM01' }],
    });

    const clerk = await core.dispatch(admin, 'central.admin.putClerk', {
      ...access,
      hallId,
      clerkId: 'k9',
      name: '赵六',
      pin: '246810',
    });
    expect(clerk).toMatchObject({ ok: true, value: { kind: 'clerk', id: 'k9' } });
    const holiday = await core.dispatch(admin, 'central.admin.putRef', {
      ...access,
      kind: 'holiday',
      id: '2026-10-01',
      hallId: null,
      leaderId: null,
      data: { date: '2026-10-01', workday: false, name: '国庆节' },
    });
    expect(holiday.ok).toBe(true);
    const badHoliday = await core.dispatch(admin, 'central.admin.putRef', {
      ...access,
      kind: 'holiday',
      id: 'x',
      hallId: null,
      leaderId: null,
      data: { date: 'not a date' },
    });
    expect(badHoliday).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: { reason: 'CENTRAL_INVALID' } },
    });

    const code = await core.dispatch(admin, 'central.admin.enrollmentCode', {
      ...access,
      hallId,
      role: 'admin',
      leaderId: null,
    });
    expect(code.ok).toBe(true);
    await core.dispatch(admin, 'sync.enroll', {
      centralUrl: central.url,
      code: (code as { value: { code: string } }).value.code,
    });
    await core.sync.stop();
    await core.dispatch(admin, 'sync.now', {});
    const clerks = await core.dispatch(admin, 'queue.clerks', {});
    expect((clerks as { value: { id: string; name: string }[] }).value).toContainEqual({ id: 'k9', name: '赵六' });
    // The PIN central hashed signs the clerk in on the device.
    const signIn = await core.dispatch(counter, 'queue.counter.signIn', {
      counterId: DEMO_COUNTERS[0]!.id,
      clerkId: 'k9',
      pin: '246810',
    });
    expect(signIn).toMatchObject({ ok: true });
  });

  it('refuses a wrong admin token and other roles', async () => {
    expect(
      await core.dispatch(admin, 'central.admin.halls', { ...access, adminToken: 'wrong-token-0123456789' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', details: { reason: 'CENTRAL_ADMIN_TOKEN' } },
    });
    expect(await core.dispatch(counter, 'central.admin.halls', access)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
