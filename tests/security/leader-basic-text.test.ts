import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretBackend } from '../../electron/core/leader/storage-policy';
import { LEADER, bundle, callerOf, startLeaderCore } from '../fixtures/leader-core';

const admin = callerOf('admin');
const refused = { ok: false, error: { code: 'FORBIDDEN', details: { reason: 'leader_storage_insecure' } } };

/**
 * On Linux without a keyring, Electron's safeStorage falls back to `basic_text` (a key built into Chromium):
 * the device's central token lies open in its data folder, and with it whatever central sends this device.
 * Such a device keeps no leader content: no account, no import, no pulled content; the admin page says why.
 */
describe('a leader device whose safeStorage reports basic_text', () => {
  let t: Awaited<ReturnType<typeof startLeaderCore>>;
  let leaderId = '';
  // Read at each start: the same data folder, first with a keyring, then moved to a PC without one.
  const shell: { secretBackend: SecretBackend } = { secretBackend: 'os-keychain' };
  beforeAll(async () => {
    t = await startLeaderCore(180, shell);
    ({ leaderId } = await t.enrol());
    shell.secretBackend = 'basic_text';
    await t.restart();
  });
  afterAll(() => t.stop());

  it('tells the admin page it refuses leader content, and why', async () => {
    expect(await t.value(admin, 'leader.admin.storage', {})).toEqual({ allowed: false, backend: 'basic_text' });
  });

  it('enrols no leader, imports nothing, takes no pulled content', async () => {
    expect(await t.call(admin, 'leader.admin.enrol', { ...LEADER, login: 'li.na' })).toMatchObject(refused);
    expect(await t.call(admin, 'leader.admin.import', bundle())).toMatchObject(refused);
    expect(() => t.core.leader.importLeaderContent(leaderId, { briefings: bundle().briefings })).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ reason: 'leader_storage_insecure' }) }),
    );
    const wal = fs.readFileSync(path.join(t.dataDir, 'leader.sqlite-wal'));
    expect(wal.includes(Buffer.from('li.na'))).toBe(false);
  });
});

describe('a leader device with an OS keychain', () => {
  let t: Awaited<ReturnType<typeof startLeaderCore>>;
  beforeAll(async () => {
    t = await startLeaderCore(180, { secretBackend: 'os-keychain' });
  });
  afterAll(() => t.stop());

  it('keeps leader content', async () => {
    expect(await t.value(admin, 'leader.admin.storage', {})).toEqual({ allowed: true, backend: 'os-keychain' });
    await t.enrol();
    expect(await t.value(admin, 'leader.admin.import', bundle())).toMatchObject({ briefings: 2 });
  });
});
