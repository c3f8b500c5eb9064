import crypto from 'node:crypto';
import { expect, test } from '@playwright/test';
import { mutationDefs } from '@shared/sync/mutations';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { SYNC_SCHEMA_HEADER } from '@shared/sync/wire';
import { hashApplicantId, idHashKey } from '../../../electron/core/intake/id-hash';
import { totpCode } from '../../fixtures/central-identity';
import { startCentral, type TestCentral } from '../../fixtures/central-server';
import { byTest, getProfile, expectRolePageReady, screenPath, watchPage, openAdminPage } from './helpers';
import { lookUp, newResidentId, signIn } from './intake-helpers';

// A real central (Fastify + the test PostgreSQL) beside the browser host; the admin page enrolls with it.
let central: TestCentral;
test.beforeAll(async () => {
  central = await startCentral({ mutations: [...mutationDefs] });
});
test.afterAll(async () => {
  await central.stop();
});

test('admin enrolls the device with a one-time code and sees the sync status', async ({ page, request }) => {
  const hall = await central.admin.createHall('E2ESYNC');
  const watch = watchPage(page);
  await openAdminPage(page, '#/admin');
  await expectRolePageReady(page, (await getProfile(request)).name);
  const panel = byTest(page, 'sync-panel');
  await expect(panel).toContainText('与中心同步');

  await byTest(page, 'sync-url').fill(central.url);
  await byTest(page, 'sync-code').fill('AAAA-BBBB-CCCC');
  await byTest(page, 'sync-enroll-submit').click();
  await expect(page.getByText('登记码无效、已用或已过期')).toBeVisible();

  await byTest(page, 'sync-code').fill(await central.admin.code(hall.id, 'admin'));
  await byTest(page, 'sync-enroll-submit').click();
  await expect(byTest(page, 'sync-status')).toContainText('E2ESYNC');
  await expect(byTest(page, 'sync-pending')).toHaveText('0');
  await byTest(page, 'sync-now').click();
  await expect(byTest(page, 'sync-status')).not.toContainText('从未');
  const devices = await central.admin.request<{ role: string }[]>('GET', `/admin/v1/halls/${hall.id}/devices`);
  expect(devices.json.map((d) => d.role)).toEqual(['admin']);
  // The refused code is the one failed request the browser reports.
  expect(watch.errors.filter((e) => !e.includes('403 (Forbidden) @') || !e.includes('sync.enroll'))).toEqual([]);
});

test('admin manages central from the admin page: hall, enrollment code, clerk', async ({ page, request }) => {
  const watch = watchPage(page);
  await openAdminPage(page, '#/admin');
  await expectRolePageReady(page, (await getProfile(request)).name);
  // The person signs in at central with central's own account (startCentral's administrator): a wrong
  // password is refused in words and leaves the admin page signed in.
  const { login, password, totpSecret } = central.adminSession;
  await byTest(page, 'central-url').fill(central.url);
  await byTest(page, 'central-login').fill(login);
  await byTest(page, 'central-password').fill('not-the-password');
  await byTest(page, 'central-totp').fill(totpCode(totpSecret));
  await byTest(page, 'central-connect').click();
  await expect(page.getByText('中心账号或密码错误')).toBeVisible();
  await expect(byTest(page, 'staff-who')).toBeVisible();

  await byTest(page, 'central-password').fill(password);
  // The next step's code: central accepts each step once, and startCentral signed in with this one.
  await byTest(page, 'central-totp').fill(totpCode(totpSecret, 1));
  await byTest(page, 'central-connect').click();
  // Signed in: the form gives way to central's session.
  await expect(byTest(page, 'central-login')).toHaveCount(0);
  await byTest(page, 'hall-code').fill('E2EADM');
  await byTest(page, 'hall-name-input').fill('页面新建大厅');
  await byTest(page, 'hall-create').click();
  await expect(page.getByText('已保存到中心')).toBeVisible();
  await expect(byTest(page, 'hall-select')).toContainText('E2EADM');
  await byTest(page, 'code-issue').click();
  await expect(byTest(page, 'code-issued')).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await page.screenshot({ path: screenPath('admin-central'), fullPage: true });

  // The hall's own clerk form (hall setup) has fields of the same names: this is central's.
  const centralAdmin = byTest(page, 'central-admin');
  await byTest(centralAdmin, 'clerk-id').fill('e2e-clerk');
  await byTest(centralAdmin, 'clerk-name').fill('钱七');
  await byTest(centralAdmin, 'clerk-pin').fill('135790');
  await byTest(centralAdmin, 'clerk-save').click();
  await expect(page.getByText('已保存到中心').last()).toBeVisible();

  const halls = await central.admin.request<{ id: string; code: string }[]>('GET', '/admin/v1/halls');
  const created = halls.json.find((h) => h.code === 'E2EADM')!;
  // The hall's "saved" message may still be the one showing: wait for the clerk's account itself, a
  // clerk of that hall alone with a PIN (it reaches the hall with its next sync as a staff row).
  await expect
    .poll(async () => {
      const staff = await central.admin.request<
        { id: string; name: string; roles: string[]; hallIds: string[]; hasPin: boolean }[]
      >('GET', `/admin/v1/staff?hallId=${created.id}`);
      return staff.json.find((s) => s.id === 'e2e-clerk');
    })
    .toMatchObject({ name: '钱七', roles: ['clerk'], hallIds: [created.id], hasPin: true });
  expect(watch.errors.filter((e) => !e.includes('401 (Unauthorized) @') || !e.includes('central.admin'))).toEqual([]);
});

// Runs after the first test of this file, which enrolled the browser host (one worker, in file order). A
// failure before it starts a new worker, whose beforeAll starts another central: this one then fails too.
test('the counter sees an applicant’s case from another hall, marked as from there', async ({ page }) => {
  const other = await central.admin.createHall('E2EOTHR');
  const code = await central.admin.code(other.id, 'counter');
  const headers = { 'content-type': 'application/json', [SYNC_SCHEMA_HEADER]: String(SYNC_SCHEMA_VERSION) };
  const enrolled = (await (
    await fetch(`${central.url}/sync/v1/enroll`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ code, deviceName: 'other-hall' }),
    })
  ).json()) as { token: string };
  // The other hall's counter pushes what its intake wrote (the demo ID key, as on the browser host).
  const idNumber = newResidentId('350102');
  const [applicantId, visitId, caseId, replicaId] = Array.from({ length: 4 }, () => crypto.randomUUID());
  const at = new Date().toISOString();
  const caseNumber = 'E2EOTHR-20260101-C1-0001';
  const args = {
    'applicant.upsert': {
      applicantId,
      kind: 'person',
      name: '异地张',
      idType: 'resident_id',
      idHash: hashApplicantId(idHashKey(undefined), 'resident_id', idNumber),
      idMasked: `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`,
      phone: '13800138000',
      segment: 'citizen',
      orgType: null,
      contactName: null,
      at,
    },
    'case.create': {
      caseId,
      caseNumber,
      state: 'dispatched',
      applicantId,
      matterCode: 'PSB-001',
      departmentId: 'psb',
      visitId,
      ticketId: null,
      ticketNumber: null,
      counterId: 'w1',
      counterNumber: 1,
      clerkName: '异地',
      feeFen: 0,
      materials: [],
      createdAt: at,
      acceptedAt: at,
      promisedDate: null,
      toleranceDueDate: null,
      rejectReason: null,
      events: [],
    },
  };
  const pushed = await fetch(`${central.url}/sync/v1/push`, {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${enrolled.token}` },
    body: JSON.stringify({
      mutations: Object.entries(args).map(([name, a], i) => ({
        replicaId,
        seq: i + 1,
        mutationId: crypto.randomUUID(),
        name,
        version: 1,
        args: a,
        entityId: null,
        schemaVersion: SYNC_SCHEMA_VERSION,
        deviceTime: at,
      })),
    }),
  });
  expect(((await pushed.json()) as { outcomes: { status: string }[] }).outcomes.map((o) => o.status)).toEqual([
    'applied',
    'applied',
  ]);

  const watch = watchPage(page);
  await signIn(page);
  // Central answers a lookup within 1.5 s or the counter shows local records only; on a loaded test
  // machine the first answer may miss that, so the clerk looks again, as one would.
  await expect(async () => {
    await lookUp(page, idNumber);
    await expect(byTest(page, 'applicant-name')).toHaveText('异地张', { timeout: 3_000 });
  }).toPass({ timeout: 20_000 });
  await expect(byTest(page, 'applicant-scope')).toHaveText('全部大厅记录');
  await byTest(page, 'applicant-history').locator('summary').click();
  const line = byTest(page, 'history-elsewhere');
  await expect(line).toContainText('大厅 E2EOTHR');
  await expect(line).toContainText(caseNumber);
  await expect(line).toContainText('居住证申领');
  await expect(line).toContainText('已分办');
  await page.screenshot({ path: screenPath('intake-other-hall-history') });
  expect(watch.errors).toEqual([]);
});
