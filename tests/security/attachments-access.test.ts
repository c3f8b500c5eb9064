import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACHMENT_UPLOAD_PATH } from '@shared/attachments/attachments';
import { CONSOLE_API } from '@shared/console/session';
import { mutationDefs } from '@shared/sync/mutations';
import { DEMO_DEPARTMENTS } from '../../electron/core/intake/demo-catalog';
import { caseWith, enrolledToken, pageRef as ref, pageSealing, sha, uploadPage } from '../fixtures/central-case-pages';
import { consoleSession } from '../fixtures/central-identity';
import { hallDevice, mutation, type HallDevice } from '../fixtures/central-console';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { jpeg } from '../fixtures/pages';
import { tempDir } from '../fixtures/temp-dir';

describe('who may name and read a case’s pages at central', () => {
  let central: TestCentral;
  let deviceA: HallDevice, deviceB: HallDevice;
  let hallAId: string;
  const dir = tempDir('ow-att-sec-');

  beforeAll(async () => {
    central = await startCentral({
      mutations: [...mutationDefs],
      casework: { escalation: false },
      attachments: { dir: dir.dir, atRest: pageSealing() },
    });
    for (const d of DEMO_DEPARTMENTS) await central.admin.putRef('catalog.department', d.id, { hallId: null, data: d });
    hallAId = (await central.admin.createHall('SECA')).id;
    const hallB = await central.admin.createHall('SECB');
    deviceA = await hallDevice(central, hallAId);
    deviceB = await hallDevice(central, hallB.id);
  });
  afterAll(async () => {
    await central?.stop();
    dir.remove();
  });

  it('a counter of another hall cannot name pages on this hall’s case, nor on a case central lacks', async () => {
    const caseId = await caseWith(deviceA, 'SECA-20260302-C01-0001');
    const [foreign] = await deviceB.push(mutation('case.pages.attach@1', { caseId, pages: [ref(jpeg(100, 1))] }));
    expect(foreign).toMatchObject({ status: 'rejected', result: { reason: 'CASE_OF_ANOTHER_HALL' } });
    const [unknown] = await deviceA.push(
      mutation('case.pages.attach@1', { caseId: crypto.randomUUID(), pages: [ref(jpeg(100, 1))] }),
    );
    expect(unknown).toMatchObject({ status: 'rejected', result: { reason: 'UNKNOWN_CASE' } });
  });

  it('a page central holds is read only through a case that names it, by staff who see that case', async () => {
    const page = jpeg(5000, 99);
    const caseA = await caseWith(deviceA, 'SECA-20260302-C01-0002');
    const named = await deviceA.push(mutation('case.pages.attach@1', { caseId: caseA, pages: [ref(page)] }));
    expect(named[0]!.status).toBe('applied');
    const token = await enrolledToken(central.url, await central.admin.code(hallAId, 'counter'));
    expect((await uploadPage(central.url, token, page)).status).toBe(200);

    // Another case (no pages) that the same handler sees: the page's hash through it gets nothing.
    const caseOther = await caseWith(deviceA, 'SECA-20260302-C01-0003');
    const handler = (
      await consoleSession(central.url, central.adminSession.token, {
        login: 'sec-psb',
        roles: ['department_handler'],
        departmentIds: ['psb'],
      })
    ).token;
    const get = (caseId: string, t: string | null, hash = sha(page)) =>
      fetch(`${central.url}${CONSOLE_API}/cases/${caseId}/pages/${hash}`, {
        headers: t ? { authorization: `Bearer ${t}` } : {},
      });
    expect((await get(caseA, handler)).status).toBe(200);
    expect((await get(caseOther, handler)).status).toBe(404);
    expect((await get(caseA, null)).status).toBe(401);
    // A device token is not a console session.
    expect((await get(caseA, token)).status).toBe(401);
    // Names that are not a SHA-256 never reach the file system.
    expect((await get(caseA, handler, '..%2F..%2Fetc%2Fpasswd')).status).toBe(400);
    const traversal = await fetch(`${central.url}${ATTACHMENT_UPLOAD_PATH}/..%2Fpartial%2Fx?offset=0&total=1`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: Buffer.from([0xff]),
    });
    expect(traversal.status).toBe(400);
  });
});
