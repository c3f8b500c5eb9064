import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditedDevice, staffHead } from '../fixtures/audit-alarm-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';

/**
 * A push's audit heads are anchored in the batch's own transaction (anchor-service.ts), in a savepoint:
 * anchoring that fails is rolled back alone, and the batch still commits and is answered.
 */
describe('audit anchoring inside the push transaction', () => {
  let central: TestCentral;
  let hallId: string;

  beforeAll(async () => {
    central = await startCentral();
    hallId = (await central.admin.createHall('ANCHTX')).id;
  });
  afterAll(async () => central?.stop());

  const anchoredSeq = async (deviceId: string) =>
    (
      await central.pool.query<{ seq: number }>(
        `SELECT seq FROM audit_anchors WHERE device_id = $1 AND chain = 'staff'`,
        [deviceId],
      )
    ).rows.map((r) => r.seq);
  const notes = async (deviceId: string) =>
    (
      await central.pool.query<{ seq: number }>(
        `SELECT seq FROM mutations WHERE device_id = $1 AND status = 'applied' ORDER BY seq`,
        [deviceId],
      )
    ).rows.map((r) => r.seq);

  it('keeps the batch when anchoring fails, and anchors again once it can', async () => {
    const device = await auditedDevice(central, hallId);
    expect(await device.push(staffHead(1, 'row 1'))).toEqual([]);
    expect(await anchoredSeq(device.deviceId)).toEqual([1]);

    // Moving the anchor fails in the database: the push is still applied and answered, without alarms.
    await central.pool.query(`
      CREATE FUNCTION ow_test_refuse_anchor() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'anchoring refused by the test'; END $$;
      CREATE TRIGGER ow_test_refuse_anchor BEFORE UPDATE ON audit_anchors
        FOR EACH ROW EXECUTE FUNCTION ow_test_refuse_anchor();`);
    try {
      expect(await device.push(staffHead(2, 'row 2'))).toEqual([]);
    } finally {
      await central.pool.query(`
        DROP TRIGGER ow_test_refuse_anchor ON audit_anchors;
        DROP FUNCTION ow_test_refuse_anchor();`);
    }
    expect(await notes(device.deviceId)).toEqual([1, 2]);
    expect(await anchoredSeq(device.deviceId)).toEqual([1]);

    expect(await device.push(staffHead(3, 'row 3'))).toEqual([]);
    expect(await notes(device.deviceId)).toEqual([1, 2, 3]);
    expect(await anchoredSeq(device.deviceId)).toEqual([3]);
  });
});
