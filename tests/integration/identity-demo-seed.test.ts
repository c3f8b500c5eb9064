import crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { openDatabase } from '../../electron/core/db/open';
import { createAuditKeyring } from '../../electron/core/audit/keyed-chain';
import { createAuditLog } from '../../electron/core/identity/audit-log';
import { createIdentityService } from '../../electron/core/identity/identity-service';
import { createPersonSessions } from '../../electron/core/identity/person-sessions';
import { createStaffStore } from '../../electron/core/identity/staff-store';
import { DEMO_STAFF } from '../../electron/core/queue/demo-hall';
import { createOutboxStore } from '../../electron/core/store/outbox-store';
import { createFileSecretStore } from '../../electron/core/sync/secret-store';
import { DEMO_PIN } from '../fixtures/staff';
import { tempDir } from '../fixtures/temp-dir';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  dirs.splice(0).forEach((d) => d.remove());
});

async function demoDevice() {
  const tmp = tempDir('ow-demo-seed-');
  dirs.push(tmp);
  const { db } = await openDatabase({ file: `${tmp.dir}/device.sqlite`, migrations: deviceMigrations });
  const now = () => new Date('2026-03-02T02:00:00.000Z');
  const outbox = createOutboxStore(db);
  const keyring = createAuditKeyring(createFileSecretStore(`${tmp.dir}/secrets`));
  return createIdentityService({
    staff: createStaffStore(db),
    audit: createAuditLog({ db, outbox, now, keyring }),
    outbox,
    sessions: createPersonSessions(now),
    now,
    adminIdleLockSeconds: 300,
    issuer: () => 'OneWindow test',
  });
}

describe('the demo hall’s people', () => {
  it('are hashed once a process: a second demo database costs no scrypt, and its clerks sign in', async () => {
    const scrypt = vi.spyOn(crypto, 'scryptSync');
    (await demoDevice()).seedDemo(DEMO_STAFF);
    // One PIN and one password, however many accounts share them.
    expect(scrypt.mock.calls.length).toBeLessThanOrEqual(2);
    scrypt.mockClear();
    const second = await demoDevice();
    second.seedDemo(DEMO_STAFF);
    expect(scrypt).not.toHaveBeenCalled();
    expect(second.verifyPin('clerk02', DEMO_PIN, 'counter-window-2', 'w2').staffId).toBe('clerk02');
    expect(() => second.verifyPin('clerk03', '654321', 'counter-window-3', 'w3')).toThrow();
  });
});
