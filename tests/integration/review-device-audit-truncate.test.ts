import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentral, type TestCentral } from '../fixtures/central-server';

/**
 * Review: central keeps the hall devices' audit rows (device_audit) append-only like its own admin trail;
 * admin_audit refuses UPDATE, DELETE and TRUNCATE, device_audit must too (TRUNCATE fires no row trigger).
 */
describe('review: device audit rows cannot be truncated', () => {
  let central: TestCentral;
  beforeAll(async () => {
    central = await startCentral();
  });
  afterAll(() => central.stop());

  it('refuses TRUNCATE device_audit as it refuses TRUNCATE admin_audit', async () => {
    await expect(central.pool.query('TRUNCATE admin_audit')).rejects.toThrow(/append-only/);
    await expect(central.pool.query('TRUNCATE device_audit')).rejects.toThrow(/append-only/);
  });
});
