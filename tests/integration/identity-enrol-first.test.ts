import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceConfigSchema } from '@shared/config';
import type { Caller } from '../../electron/core/api/caller';
import { createCore, type Core } from '../../electron/core/app/create-core';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

/**
 * A new hall device has no accounts, so nobody could sign in to enrol it: central's one-time code is the
 * authority then. Once the hall administrator's account has arrived, enrolling again needs them.
 */
describe('a new device enrols before it has accounts', () => {
  const tmp = tempDir('ow-enrol-first-');
  let central: TestCentral;
  let core: Core;
  const page: Caller = { role: 'admin', transport: 'ipc', origin: 'admin-page' };
  beforeAll(async () => {
    central = await startCentral();
    core = await createCore({
      dataDir: tmp.dir,
      config: deviceConfigSchema.parse({ hall: { code: 'NEW01', name: '新大厅' }, deviceCode: 'A1', roles: ['admin'] }),
      appVersion: 'test',
      sync: { autoStart: false },
    });
  }, 120_000);
  afterAll(async () => {
    // Enrolling started the sync loop and its nudge stream: both end before central stops.
    await core?.sync.stop();
    core?.close();
    await central?.stop();
    tmp.remove();
  });

  it('offers enrolment to nobody-signed-in on a device with no hall administrator, then asks for one', async () => {
    expect(await core.dispatch(page, 'identity.session', {})).toMatchObject({
      ok: true,
      value: { person: null, setup: 'enrol_first' },
    });
    // Everything else still needs a person.
    expect(await core.dispatch(page, 'sync.status', {})).toMatchObject({ error: { code: 'SIGN_IN_REQUIRED' } });

    const hall = await central.admin.createHall('NEW01');
    const code = await central.admin.code(hall.id, 'admin', null);
    const enrolled = await core.dispatch(page, 'sync.enroll', { centralUrl: central.url, code });
    expect(enrolled).toMatchObject({ ok: true, value: { enrolled: true } });

    // Enrolled: the accounts come from central now, and only a hall administrator may enrol it again.
    expect(await core.dispatch(page, 'identity.session', {})).toMatchObject({ value: { setup: 'ready' } });
    const again = await core.dispatch(page, 'sync.enroll', {
      centralUrl: central.url,
      code: await central.admin.code(hall.id, 'admin', null),
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'SIGN_IN_REQUIRED' } });
  });
});
