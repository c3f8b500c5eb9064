import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail, CaseQueuePage } from '@shared/console/cases';
import { mutationDefs } from '@shared/sync/mutations';
import { DEMO_DEPARTMENTS, DEMO_MATTERS } from '../../electron/core/intake/demo-catalog';
import { consoleSession } from '../fixtures/central-identity';
import { consoleClient, testClock, type ConsoleClient } from '../fixtures/central-console';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';

const { clock } = testClock('2026-03-02T02:00:00.000Z');
/** Central's public address, which the receipts' QR codes carry; the test reaches the same server locally. */
const PUBLIC_URL = 'https://zwfw.example.gov.cn';

/**
 * The loop with a real counter: what the counter accepts reaches the department's queue at central; what
 * the department does there reaches the counter's case list after a pull.
 */
describe('casework: the department at the console, the counter in the hall', () => {
  let central: TestCentral;
  let t: IntakeCore;
  let handler: ConsoleClient;

  beforeAll(async () => {
    central = await startCentral({
      mutations: [...mutationDefs],
      publicUrl: PUBLIC_URL,
      casework: { clock, escalation: false },
    });
    const hall = await central.admin.createHall('CWD');
    const psb = DEMO_DEPARTMENTS.find((d) => d.id === 'psb')!;
    await central.admin.putRef('catalog.department', psb.id, { hallId: null, data: psb });
    const matter = DEMO_MATTERS.find((m) => m.code === 'PSB-001')!;
    await central.admin.putRef('catalog.matter', matter.code, { hallId: null, data: matter });
    t = await startIntakeCore(undefined, { hallCode: 'CWD' });
    await t.core.sync.enroll(central.url, await central.admin.code(hall.id, 'counter'));
    handler = consoleClient(
      central.url,
      (
        await consoleSession(central.url, central.adminSession.token, {
          login: 'psb-hall',
          name: '公安经办',
          roles: ['department_handler'],
          departmentIds: ['psb'],
        })
      ).token,
    );
  });
  afterAll(async () => {
    t.stop();
    await central.stop();
  });

  /** A case accepted at w1 and pushed: its id and the department's view of it. */
  async function accepted(first17: string) {
    const c = await t.intake({ applicantId: (await t.person(first17, '张三')).id });
    expect(await t.core.sync.runOnce()).toBe('ok');
    const queue = await handler<CaseQueuePage>('GET', `/cases?q=${c.caseNumber}`);
    expect(queue.json.items).toEqual([
      expect.objectContaining({
        caseId: c.id,
        status: 'dispatched',
        version: 1,
        applicantMasked: '张**',
        matterName: '居住证申领',
        legalDate: '2026-03-23',
      }),
    ]);
    return c;
  }
  const act = (caseId: string, version: number, body: object) =>
    handler<CaseDetail>('POST', `/cases/${caseId}/actions`, { version, act: body });
  const onCounter = async (caseId: string) => {
    expect(await t.core.sync.runOnce()).toBe('ok');
    return t.call('case.get', { caseId });
  };

  it('a case the department starts and completes is 办结 on the counter’s case list', async () => {
    const c = await accepted('11010519491231002');
    expect(await act(c.id, 1, { action: 'start', note: '' })).toMatchObject({ status: 200 });
    expect((await onCounter(c.id)).case.state).toBe('in_progress');
    const done = await act(c.id, 2, {
      action: 'complete',
      note: '准予',
      decision: { outcome: 'approved', reason: '', appealRoute: '' },
      pickup: { method: 'counter', trackingNumber: '', carrier: '' },
    });
    expect(done).toMatchObject({ status: 200, json: { status: 'completed' } });
    const got = await onCounter(c.id);
    expect(got.case.state).toBe('completed');
    expect(got.events.slice(-2).map((e) => [e.fromState, e.toState, e.actor])).toEqual([
      ['dispatched', 'in_progress', 'central'],
      ['in_progress', 'completed', 'central'],
    ]);
    const list = await t.call('case.list', { state: 'completed' });
    expect(list.map((x) => x.id)).toContain(c.id);
  });

  it('dispatched → 受理审查中 → 办理中 → 办结 with decision and pickup on the counter', async () => {
    const c = await accepted('11010519491231003');
    expect(await act(c.id, 1, { action: 'review', note: '受理审查' })).toMatchObject({ status: 200 });
    expect((await onCounter(c.id)).case.state).toBe('under_review');
    expect(await act(c.id, 2, { action: 'start', note: '' })).toMatchObject({ status: 200 });
    expect((await onCounter(c.id)).case.state).toBe('in_progress');
    const decision = { outcome: 'denied', reason: '不符合居住证申领条件', appealRoute: '向市人民政府申请行政复议' };
    const pickup = { method: 'post', trackingNumber: 'EMS9876543210', carrier: 'EMS' };
    expect(await act(c.id, 3, { action: 'complete', note: '不予', decision, pickup })).toMatchObject({ status: 200 });
    const got = await onCounter(c.id);
    expect(got.case.state).toBe('completed');
    expect((await t.call('case.list', { state: 'completed' })).map((x) => x.id)).toContain(c.id);
    // Whatever names the device gives them, the counter's case carries the decision and the pickup.
    const shown = JSON.stringify(got);
    for (const text of [decision.reason, decision.appealRoute, pickup.trackingNumber]) expect(shown).toContain(text);
  });

  it('a 补正通知 appears at the counter with what to bring', async () => {
    const c = await accepted('11010519491231004');
    expect(await act(c.id, 1, { action: 'start', note: '' })).toMatchObject({ status: 200 });
    const missing = [{ materialId: 'work-proof', name: '就业或就读证明', note: '需加盖单位公章' }];
    expect(await act(c.id, 2, { action: 'request_supplement', note: '请补正', missing })).toMatchObject({
      status: 200,
      json: { status: 'supplement_requested', daysLeft: null },
    });
    const got = await onCounter(c.id);
    expect(got.case.state).toBe('supplement_requested');
    expect(got.events.at(-1)).toMatchObject({ toState: 'supplement_requested', actor: 'central', note: '请补正' });
    const shown = JSON.stringify(got);
    expect(shown).toContain('就业或就读证明');
    expect(shown).toContain('需加盖单位公章');
  });

  it('the QR on the receipt opens central’s tracking page with the department’s steps, and nothing else does', async () => {
    const c = await accepted('11010519491231005');
    expect(await act(c.id, 1, { action: 'review', note: '内部意见：材料齐全' })).toMatchObject({ status: 200 });
    expect(await act(c.id, 2, { action: 'start', note: '' })).toMatchObject({ status: 200 });
    const { qrText } = await t.call('case.document', { caseId: c.id });
    expect(qrText.startsWith(`${PUBLIC_URL}/track/${c.caseNumber}?code=`)).toBe(true);
    const page = await fetch(qrText.replace(PUBLIC_URL, central.url));
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const text of [c.caseNumber, '居住证申领', '已分办', '受理审查中', '办理中', '张**'])
      expect(html).toContain(text);
    // The department's internal note and the applicant's full name and ID stay off the public page.
    for (const text of ['内部意见', '张三', '11010519491231005']) expect(html).not.toContain(text);
    // One character off in the code: the same answer as a case number that does not exist.
    const code = new URL(qrText).searchParams.get('code')!;
    const wrong = `${code.slice(0, -1)}${code.endsWith('0') ? '1' : '0'}`;
    const badCode = await fetch(`${central.url}/track/${c.caseNumber}?code=${wrong}`);
    const noCase = await fetch(`${central.url}/track/CWD-20260302-X9-9999?code=${code}`);
    expect([badCode.status, noCase.status]).toEqual([404, 404]);
    expect(await badCode.text()).toBe(await noCase.text());
  });
});
