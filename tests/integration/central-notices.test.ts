import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoticeDeadLetters } from '@shared/notices/notices';
import { mutationDefs } from '@shared/sync/mutations';
import type { IntakeMutationArgs } from '@shared/sync/mutations/intake';
import { DEMO_DEPARTMENTS, DEMO_MATTERS } from '../../electron/core/intake/demo-catalog';
import { inTransaction } from '../../central/src/db/pool';
import { noticeEvents } from '../../central/src/notices/notice-events';
import { createNoticeWorker } from '../../central/src/notices/notice-worker';
import { aliyunSignature, aliyunSmsProvider } from '../../central/src/notices/providers/aliyun-sms';
import {
  logOnlySmsProvider,
  type SmsMessage,
  type SmsProvider,
  type SmsResult,
} from '../../central/src/notices/providers/sms-provider';
import { sendableFrom } from '../../central/src/notices/quiet-hours';
import { smsProviderFromEnv } from '../../central/src/notices/sms-config';
import { seedHall } from '../fixtures/central-cases';
import { consoleSession } from '../fixtures/central-identity';
import { consoleClient, hallDevice, mutation, testClock, type HallDevice } from '../fixtures/central-console';
import { startCentral, type TestCentral } from '../fixtures/central-server';

const uuid = () => crypto.randomUUID();
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const PHONE = '13800138000';
const QUERY_CODE = 'AB12CD34EF';

/** A provider that records what it was given and answers what the test queued (else OK). */
function fakeProvider() {
  const sent: SmsMessage[] = [];
  const answers: (SmsResult | Error)[] = [];
  const provider: SmsProvider = {
    name: 'fake',
    async send(m) {
      const a = answers.shift() ?? { ok: true, ref: `ref-${sent.length + 1}` };
      if (a instanceof Error) throw a;
      if (a.ok) sent.push(m);
      return a;
    },
  };
  return { provider, sent, answers };
}

/** A case as a counter reports it (applicant, visit, case), accepted and dispatched. */
async function counterCase(device: HallDevice, o: { caseNumber: string; toleranceDueDate?: string | null }) {
  const [caseId, applicantId, visitId] = [uuid(), uuid(), uuid()];
  const matter = DEMO_MATTERS.find((m) => m.code === 'PSB-001')!;
  const at = '2026-03-02T02:00:00.000Z';
  const args: IntakeMutationArgs<'case.create@1'> = {
    caseId,
    caseNumber: o.caseNumber,
    state: 'dispatched',
    applicantId,
    matterCode: matter.code,
    departmentId: matter.departmentId,
    visitId,
    ticketId: null,
    ticketNumber: 'A001',
    counterId: 'w1',
    counterNumber: 1,
    clerkName: '李窗口',
    feeFen: matter.feeFen,
    materials: matter.materials.map((m) => ({ materialId: m.id, requirement: m.requirement, status: 'received' })),
    createdAt: at,
    acceptedAt: at,
    promisedDate: '2026-03-20',
    toleranceDueDate: o.toleranceDueDate ?? null,
    queryCode: QUERY_CODE,
    rejectReason: null,
    events: [
      { action: 'accept', fromState: 'draft', toState: 'accepted', at },
      { action: 'dispatch', fromState: 'accepted', toState: 'dispatched', at },
    ],
  };
  const out = await device.push(
    mutation('applicant.upsert@1', {
      applicantId,
      kind: 'person',
      name: `申请人${o.caseNumber}`,
      idType: 'resident_id',
      idHash: sha256(o.caseNumber),
      idMasked: '110105********1234',
      phone: PHONE,
      segment: 'citizen',
      orgType: null,
      contactName: null,
      at,
    }),
    mutation('visit.record@1', {
      visitId,
      counterId: 'w1',
      counterNumber: 1,
      clerkName: '李窗口',
      ticketId: null,
      ticketNumber: 'A001',
      hallDay: '2026-03-02',
      applicantId,
      startedAt: at,
    }),
    mutation('case.create@1', args, caseId),
  );
  expect(out.map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
  return { caseId, args };
}

describe('SMS notices from central’s outbox', () => {
  // Monday 2 March 2026, 10:00 in Shanghai, 03:00 in Berlin.
  const { clock, set: setNow } = testClock('2026-03-02T02:00:00.000Z');
  let central: TestCentral;
  let shanghai: { id: string }, berlin: { id: string };
  let deviceSh: HallDevice, deviceBe: HallDevice;

  const rows = async (where: string, params: unknown[] = []) =>
    (
      await central.pool.query<{
        id: string;
        kind: string;
        idempotency_key: string;
        status: string;
        attempts: number;
        phone: string | null;
        params: Record<string, string>;
        not_before: Date | null;
        last_error: string | null;
      }>(`SELECT * FROM notice_outbox WHERE ${where} ORDER BY id`, params)
    ).rows;

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs], casework: { clock, escalation: false } });
    shanghai = await seedHall(central.pool, 'NSH', '浦东大厅', 'Asia/Shanghai');
    berlin = await seedHall(central.pool, 'NBE', '柏林大厅', 'Europe/Berlin');
    for (const d of DEMO_DEPARTMENTS) await central.admin.putRef('catalog.department', d.id, { hallId: null, data: d });
    const psb = DEMO_MATTERS.find((m) => m.code === 'PSB-001')!;
    await central.admin.putRef('catalog.matter', psb.code, { hallId: null, data: psb });
    deviceSh = await hallDevice(central, shanghai.id);
    deviceBe = await hallDevice(central, berlin.id);
  });
  afterAll(async () => central?.stop());

  it('queues one notice per event, even when the event is applied twice, and sends each once', async () => {
    setNow('2026-03-02T02:00:00.000Z');
    const fake = fakeProvider();
    const worker = createNoticeWorker(central.pool, {
      provider: fake.provider,
      clock,
      publicUrl: 'https://gov.example/',
    });
    const x = await counterCase(deviceSh, { caseNumber: 'NSH-20260302-C01-0001' });
    // The same case reported again (a device that re-sent it under a new mutation): no second notice.
    const [again] = await deviceSh.push(mutation('case.create@1', x.args, x.caseId));
    expect(again).toMatchObject({ status: 'applied' });
    expect(await rows('case_id = $1', [x.caseId])).toHaveLength(1);

    const admin = central.adminSession.token;
    const handler = consoleClient(
      central.url,
      (
        await consoleSession(central.url, admin, {
          login: 'psb-n',
          roles: ['department_handler'],
          departmentIds: ['psb'],
        })
      ).token,
    );
    const act = (version: number, body: object) =>
      handler('POST', `/cases/${x.caseId}/actions`, { version, act: body });
    expect((await act(1, { action: 'review', note: '' })).status).toBe(200);
    expect((await act(2, { action: 'start', note: '' })).status).toBe(200);
    const missing = [{ materialId: 'work-proof', name: '就业证明', note: '' }];
    expect((await act(3, { action: 'request_supplement', note: '请补正', missing })).status).toBe(200);
    const moved = { caseId: x.caseId, missing, decision: null, pickup: null };
    const replay = (action: string, version: number) =>
      inTransaction(central.pool, (tx) => noticeEvents.caseMoved(tx, { ...moved, action, version }, clock.now()));
    expect(await replay('request_supplement', 4)).toBe(false);
    await deviceSh.push(
      mutation('case.supplement.receive@1', {
        caseId: x.caseId,
        materialIds: ['work-proof'],
        note: '',
        receivedBy: '李窗口',
        at: '2026-03-02T02:30:00.000Z',
      }),
    );
    const pickup = { method: 'post', trackingNumber: 'EMS1234567890', carrier: 'EMS' };
    const decision = { outcome: 'approved', reason: '', appealRoute: '' };
    expect((await act(5, { action: 'complete', note: '', decision, pickup })).status).toBe(200);
    expect(await replay('complete', 6)).toBe(false);

    // 容缺 due Wednesday (two days on) gets its reminder, once however often the worker comes by;
    // one due next week gets none yet.
    const y = await counterCase(deviceSh, { caseNumber: 'NSH-20260302-C01-0002', toleranceDueDate: '2026-03-04' });
    const z = await counterCase(deviceSh, { caseNumber: 'NSH-20260302-C01-0003', toleranceDueDate: '2026-03-10' });
    expect(await noticeEvents.toleranceScan(central.pool, clock.now())).toBe(1);

    const first = await worker.runOnce();
    const second = await worker.runOnce();
    expect(first).toMatchObject({ reminders: 0, sent: 6, retry: 0, dead: 0 });
    expect(second).toMatchObject({ reminders: 0, sent: 0 });
    const kinds = (caseId: string) =>
      rows('case_id = $1', [caseId]).then((r) => r.map((n) => [n.idempotency_key.split(':')[2], n.status]));
    expect(await kinds(x.caseId)).toEqual([
      ['accepted', 'sent'],
      ['supplement', 'sent'],
      ['completed', 'sent'],
    ]);
    expect(await kinds(y.caseId)).toEqual([
      ['accepted', 'sent'],
      ['tolerance_due', 'sent'],
    ]);
    expect(await kinds(z.caseId)).toEqual([['accepted', 'sent']]);

    const texts = fake.sent.map((m) => m.text);
    expect(texts).toContain(
      '【浦东大厅】您申请的居住证申领已受理，办件编号NSH-20260302-C01-0001，可在 ' +
        `https://gov.example/track/NSH-20260302-C01-0001?code=${QUERY_CODE} 查询进度。`,
    );
    expect(texts.some((t) => t.includes('需要补正材料：就业证明'))).toBe(true);
    expect(texts.some((t) => t.includes('已办结，办理结果已通过EMS寄出，运单号EMS1234567890'))).toBe(true);
    expect(texts.some((t) => t.includes('NSH-20260302-C01-0002') && t.includes('须在2026-03-04前补齐'))).toBe(true);
    expect(fake.sent.every((m) => m.phone === PHONE)).toBe(true);
    // Settled: neither the phone nor the tracking code is kept.
    const settled = await rows("status = 'sent'");
    expect(settled.every((n) => n.phone === null && !('queryCode' in n.params))).toBe(true);
  });

  it('keeps each hall’s quiet hours in its own zone and sends at 08:00 there', async () => {
    // 23:00 in Shanghai, 16:00 in Berlin.
    setNow('2026-03-02T15:00:00.000Z');
    const fake = fakeProvider();
    const worker = createNoticeWorker(central.pool, { provider: fake.provider, clock });
    const sh = await counterCase(deviceSh, { caseNumber: 'NSH-20260302-C01-0009' });
    const be = await counterCase(deviceBe, { caseNumber: 'NBE-20260302-C01-0001' });
    expect(await worker.runOnce()).toMatchObject({ sent: 1, deferred: 1 });
    expect(fake.sent.map((m) => m.params.caseNumber)).toEqual(['NBE-20260302-C01-0001']);
    const [waiting] = await rows('case_id = $1', [sh.caseId]);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0 });
    expect(waiting!.not_before!.toISOString()).toBe('2026-03-03T00:00:00.000Z');
    expect((await rows('case_id = $1', [be.caseId]))[0]).toMatchObject({ status: 'sent' });

    setNow('2026-03-02T23:59:00.000Z'); // 07:59 in Shanghai
    expect(await worker.runOnce()).toMatchObject({ sent: 0, deferred: 0 });
    setNow('2026-03-03T00:00:00.000Z');
    expect(await worker.runOnce()).toMatchObject({ sent: 1 });
    expect(fake.sent.map((m) => m.params.caseNumber)).toEqual(['NBE-20260302-C01-0001', 'NSH-20260302-C01-0009']);

    // The bounds themselves, and a retry whose wait ends in the night.
    expect(sendableFrom(new Date('2026-03-02T13:59:00Z'), 'Asia/Shanghai').toISOString()).toBe(
      '2026-03-02T13:59:00.000Z',
    );
    expect(sendableFrom(new Date('2026-03-02T14:00:00Z'), 'Asia/Shanghai').toISOString()).toBe(
      '2026-03-03T00:00:00.000Z',
    );
    expect(sendableFrom(new Date('2026-03-02T21:30:00Z'), 'Europe/Berlin').toISOString()).toBe(
      '2026-03-03T07:00:00.000Z',
    );
    expect(sendableFrom(new Date('2026-03-03T05:00:00Z'), 'Europe/Berlin').toISOString()).toBe(
      '2026-03-03T07:00:00.000Z',
    );
  });

  it('retries with backoff, then lands in the dead letters the console lists masked and can send again', async () => {
    setNow('2026-03-03T02:00:00.000Z'); // 10:00 in Shanghai
    const fake = fakeProvider();
    const worker = createNoticeWorker(central.pool, {
      provider: fake.provider,
      clock,
      maxAttempts: 3,
      backoffMs: (n) => n * 60_000,
    });
    const c = await counterCase(deviceSh, { caseNumber: 'NSH-20260303-C01-0001' });
    fake.answers.push(
      new Error('connect ECONNREFUSED'),
      { ok: false, error: 'isv.BUSINESS_LIMIT_CONTROL: 触发分钟级流控', permanent: false },
      { ok: false, error: 'isp.SYSTEM_ERROR', permanent: false },
    );
    expect(await worker.runOnce()).toMatchObject({ retry: 1 });
    let [n] = await rows('case_id = $1', [c.caseId]);
    expect(n).toMatchObject({ status: 'pending', attempts: 1, last_error: 'connect ECONNREFUSED' });
    expect(n!.not_before!.toISOString()).toBe('2026-03-03T02:01:00.000Z');
    // Not due before its wait is over.
    expect(await worker.runOnce()).toMatchObject({ sent: 0, retry: 0, dead: 0 });
    setNow('2026-03-03T02:01:00.000Z');
    expect(await worker.runOnce()).toMatchObject({ retry: 1 });
    setNow('2026-03-03T02:03:00.000Z');
    expect(await worker.runOnce()).toMatchObject({ dead: 1 });
    [n] = await rows('case_id = $1', [c.caseId]);
    expect(n).toMatchObject({ status: 'dead', attempts: 3, last_error: 'isp.SYSTEM_ERROR' });
    setNow('2026-03-03T05:00:00.000Z');
    expect(await worker.runOnce()).toMatchObject({ sent: 0, dead: 0 });

    // A refusal that cannot change is dead at once.
    const p = await counterCase(deviceSh, { caseNumber: 'NSH-20260303-C01-0002' });
    fake.answers.push({ ok: false, error: 'isv.MOBILE_NUMBER_ILLEGAL', permanent: true });
    expect(await worker.runOnce()).toMatchObject({ dead: 1 });
    expect((await rows('case_id = $1', [p.caseId]))[0]).toMatchObject({ status: 'dead', attempts: 1 });

    const admin = central.adminSession.token;
    const supervisor = consoleClient(
      central.url,
      (await consoleSession(central.url, admin, { login: 'sup-n', roles: ['supervisor'], hallIds: [shanghai.id] }))
        .token,
    );
    const otherHall = consoleClient(
      central.url,
      (await consoleSession(central.url, admin, { login: 'sup-b', roles: ['supervisor'], hallIds: [berlin.id] })).token,
    );
    const handler = consoleClient(
      central.url,
      (
        await consoleSession(central.url, admin, {
          login: 'psb-d',
          roles: ['department_handler'],
          departmentIds: ['psb'],
        })
      ).token,
    );
    const listed = await supervisor<NoticeDeadLetters>('GET', '/notices/dead-letters');
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((i) => [i.caseNumber, i.phoneMasked, i.attempts])).toEqual([
      ['NSH-20260303-C01-0002', '138****8000', 1],
      ['NSH-20260303-C01-0001', '138****8000', 3],
    ]);
    expect(JSON.stringify(listed.json)).not.toContain(PHONE);
    expect((await otherHall<NoticeDeadLetters>('GET', '/notices/dead-letters')).json.items).toEqual([]);
    expect((await handler('GET', '/notices/dead-letters')).status).toBe(403);

    const id = listed.json.items[1]!.id;
    expect((await otherHall('POST', `/notices/${id}/retry`)).status).toBe(404);
    expect((await supervisor('POST', `/notices/x1/retry`)).status).toBe(400);
    expect((await supervisor('POST', `/notices/${id}/retry`)).status).toBe(200);
    expect((await supervisor('POST', `/notices/${id}/retry`)).status).toBe(404);
    expect(await worker.runOnce()).toMatchObject({ sent: 1 });
    expect((await rows('case_id = $1', [c.caseId]))[0]).toMatchObject({ status: 'sent', attempts: 1 });
    const audit = await central.pool.query("SELECT 1 FROM admin_audit WHERE action = 'notice_retry' AND entity = $1", [
      `notice:${id}`,
    ]);
    expect(audit.rowCount).toBe(1);
  });

  it('renders a matter’s own template over the global one; only a central administrator changes them', async () => {
    setNow('2026-03-04T02:00:00.000Z');
    const admin = consoleClient(central.url, central.adminSession.token);
    const supervisor = consoleClient(
      central.url,
      (
        await consoleSession(central.url, central.adminSession.token, {
          login: 'sup-t',
          roles: ['supervisor'],
          hallIds: [shanghai.id],
        })
      ).token,
    );
    const body = { matterCode: 'PSB-001', body: '{caseNumber}已受理（{matterName}），进度：{trackingUrl}' };
    expect((await supervisor('PUT', '/notices/templates/case_accepted', body)).status).toBe(403);
    const unknown = await admin('PUT', '/notices/templates/case_accepted', { ...body, body: '{idNumber}已受理' });
    expect(unknown).toMatchObject({ status: 400, json: { fields: { body: expect.stringContaining('{idNumber}') } } });
    expect((await admin('PUT', '/notices/templates/no_such_kind', body)).status).toBe(400);
    expect(await admin('PUT', '/notices/templates/case_accepted', body)).toMatchObject({
      status: 200,
      json: { kind: 'case_accepted', matterCode: 'PSB-001' },
    });
    const listed = await admin<{ items: { kind: string; matterCode: string }[] }>('GET', '/notices/templates');
    expect(listed.json.items.filter((t) => t.kind === 'case_accepted').map((t) => t.matterCode)).toEqual([
      '',
      'PSB-001',
    ]);

    const fake = fakeProvider();
    const worker = createNoticeWorker(central.pool, { provider: fake.provider, clock });
    await counterCase(deviceSh, { caseNumber: 'NSH-20260304-C01-0001' });
    expect(await worker.runOnce()).toMatchObject({ sent: 1 });
    expect(fake.sent[0]!.text).toBe('NSH-20260304-C01-0001已受理（居住证申领），进度：受理回执上的查询地址');
  });

  it('the log-only default writes what would be sent, phone masked and tracking code hidden', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sms-log-')), 'sms.log');
    const log = logOnlySmsProvider({ file });
    const r = await log.send({
      phone: PHONE,
      kind: 'case_accepted',
      text: '已受理，可在 https://gov.example/track/N-1?code=AB12CD34EF 查询',
      params: {},
    });
    expect(r.ok).toBe(true);
    const line = JSON.parse(fs.readFileSync(file, 'utf8').trim()) as { to: string; text: string };
    expect(line).toMatchObject({ to: '138****8000', text: '已受理，可在 https://gov.example/track/N-1?code=*** 查询' });
    expect(fs.readFileSync(file, 'utf8')).not.toContain(PHONE);
  });
});

describe('central with its notice worker', () => {
  it('sends what its events queue, by itself, with the provider it was started with', async () => {
    const fake = fakeProvider();
    // 10:00 in Shanghai, whatever the hour of the machine running the test.
    const now = { now: () => new Date('2026-03-02T02:00:00.000Z') };
    const running = await startCentral({
      mutations: [...mutationDefs],
      notices: { provider: fake.provider, clock: now, intervalMs: 50 },
    });
    try {
      const hall = await seedHall(running.pool, 'NRW', '运行大厅');
      for (const d of DEMO_DEPARTMENTS)
        await running.admin.putRef('catalog.department', d.id, { hallId: null, data: d });
      const psb = DEMO_MATTERS.find((m) => m.code === 'PSB-001')!;
      await running.admin.putRef('catalog.matter', psb.code, { hallId: null, data: psb });
      await counterCase(await hallDevice(running, hall.id), { caseNumber: 'NRW-20260302-C01-0001' });
      await expect.poll(() => fake.sent.map((m) => m.params.caseNumber)).toEqual(['NRW-20260302-C01-0001']);
    } finally {
      await running.stop();
    }
  });

  it('takes its provider from the environment, refusing a wrong one at start', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-env-'));
    expect(smsProviderFromEnv({ CENTRAL_SMS_LOG: path.join(dir, 'sms.log') }).name).toBe('log');
    expect(() => smsProviderFromEnv({ CENTRAL_SMS_PROVIDER: 'twilio' })).toThrow(/log or aliyun/);
    expect(() => smsProviderFromEnv({ CENTRAL_SMS_PROVIDER: 'aliyun' })).toThrow(/CENTRAL_SMS_ALIYUN_CONFIG/);
    const config = path.join(dir, 'aliyun.json');
    const good = {
      accessKeyId: 'LTAI-x',
      accessKeySecret: 'secret',
      signName: '一窗通',
      templateCodes: {
        case_accepted: 'SMS_1',
        supplement_requested: 'SMS_2',
        case_completed: 'SMS_3',
        tolerance_due: 'SMS_4',
      },
    };
    fs.writeFileSync(config, JSON.stringify({ ...good, templateCodes: { ...good.templateCodes, tolerance_due: '' } }));
    const env = { CENTRAL_SMS_PROVIDER: 'aliyun', CENTRAL_SMS_ALIYUN_CONFIG: config };
    expect(() => smsProviderFromEnv(env)).toThrow(/tolerance_due/);
    fs.writeFileSync(config, JSON.stringify(good));
    expect(smsProviderFromEnv(env).name).toBe('aliyun');
  });
});

describe('the Alibaba Cloud SendSms adapter', () => {
  it('signs as the SendSms documentation’s worked example does', () => {
    const params = {
      AccessKeyId: 'testId',
      Action: 'SendSms',
      Format: 'XML',
      OutId: '123',
      PhoneNumbers: '15300000001',
      RegionId: 'cn-hangzhou',
      SignName: '阿里云短信测试专用',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_71390007',
      TemplateParam: '{"customer":"test"}',
      Timestamp: '2017-07-12T02:42:19Z',
      Version: '2017-05-25',
    };
    expect(aliyunSignature(params, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  it('sends a signed request to a fake server and reads its recorded answers', async () => {
    // Answers as the service gives them (shapes from its docs): accepted, flow control, a bad number, an outage.
    const recorded = [
      {
        status: 200,
        body: {
          Message: 'OK',
          RequestId: 'F655A8D5-B967-440B-8683-DAD6FF8DE990',
          BizId: '900619746936498440^0',
          Code: 'OK',
        },
      },
      {
        status: 200,
        body: { Message: '触发分钟级流控Permits:1', RequestId: 'A1', Code: 'isv.BUSINESS_LIMIT_CONTROL' },
      },
      { status: 200, body: { Message: 'invalid mobile number', RequestId: 'A2', Code: 'isv.MOBILE_NUMBER_ILLEGAL' } },
      { status: 503, body: null },
    ];
    const seen: URL[] = [];
    const server = http.createServer((req, res) => {
      seen.push(new URL(req.url!, 'http://fake'));
      const a = recorded[seen.length - 1]!;
      res.writeHead(a.status, { 'content-type': a.body ? 'application/json' : 'text/html' });
      res.end(a.body ? JSON.stringify(a.body) : '<html>busy</html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const provider = aliyunSmsProvider({
        accessKeyId: 'LTAI-test',
        accessKeySecret: 'secret-test',
        signName: '一窗通',
        templateCodes: {
          case_accepted: 'SMS_1001',
          supplement_requested: 'SMS_1002',
          case_completed: 'SMS_1003',
          tolerance_due: 'SMS_1004',
        },
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        nonce: () => 'nonce-1',
        now: () => new Date('2026-03-02T02:00:00.123Z'),
      });
      const message: SmsMessage = {
        phone: PHONE,
        kind: 'case_completed',
        text: 'ignored by the provider',
        params: { caseNumber: 'N-1', pickup: '请到窗口领取' },
      };
      expect(await provider.send(message)).toEqual({ ok: true, ref: '900619746936498440^0' });
      expect(await provider.send(message)).toEqual({
        ok: false,
        error: 'isv.BUSINESS_LIMIT_CONTROL: 触发分钟级流控Permits:1',
        permanent: false,
      });
      expect(await provider.send(message)).toMatchObject({ ok: false, permanent: true });
      expect(await provider.send(message)).toMatchObject({ ok: false, permanent: false });

      const q = Object.fromEntries(seen[0]!.searchParams);
      expect(q).toMatchObject({
        AccessKeyId: 'LTAI-test',
        Action: 'SendSms',
        Format: 'JSON',
        PhoneNumbers: PHONE,
        SignName: '一窗通',
        TemplateCode: 'SMS_1003',
        TemplateParam: '{"caseNumber":"N-1","pickup":"请到窗口领取"}',
        Timestamp: '2026-03-02T02:00:00Z',
        SignatureNonce: 'nonce-1',
        Version: '2017-05-25',
      });
      const { Signature, ...signed } = q;
      expect(Signature).toBe(aliyunSignature(signed, 'secret-test'));
      // The text central renders never leaves: only the approved template and its parameters do.
      expect(seen[0]!.search).not.toContain('ignored');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
