import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  open311DiscoverySchema,
  open311ErrorSchema,
  open311RequestSchema,
  open311ServiceSchema,
  type Open311Request,
} from '@shared/console/open311';
import { maskIdNumber } from '@shared/validation/mask';
import { OPEN311_RATE_LIMIT_PER_MINUTE } from '../../central/src/open311/open311-routes';
import {
  DEMO_INTERNAL,
  DEMO_MATTERS,
  DEMO_ORGANISATION,
  DEMO_PERSON,
  seedCatalog,
  seedCase,
  seedHall,
  seedTrackingDemo,
  type TrackingDemo,
} from '../fixtures/central-cases';
import { startCentral, type TestCentral } from '../fixtures/central-server';

const PUBLIC_URL = 'https://zwfw.example.gov.cn';
const services = z.array(open311ServiceSchema);
const requests = z.array(open311RequestSchema);

/** Nothing that names or reaches an applicant, nor central's internal handling, in any answer. */
const PRIVATE = [
  DEMO_PERSON.name,
  DEMO_PERSON.idNumber,
  maskIdNumber(DEMO_PERSON.idNumber),
  DEMO_PERSON.phone,
  DEMO_ORGANISATION.name,
  DEMO_ORGANISATION.idNumber,
  DEMO_ORGANISATION.phone,
  DEMO_ORGANISATION.contactName!,
  ...Object.values(DEMO_INTERNAL),
];

const ymd = (d: Date) => d.toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

describe('central: Open311 GeoReport v2 (read-only)', () => {
  let central: TestCentral;
  let demo: TrackingDemo;
  let client = 0;
  const nextClient = () => `198.51.100.${++client}`;
  /** Every answer body of the suite, for the check that none holds personal data. */
  const seen: string[] = [];

  beforeAll(async () => {
    central = await startCentral({ trustProxy: '127.0.0.1', publicUrl: PUBLIC_URL });
    demo = await seedTrackingDemo(central.pool);
    // The second hall stopped offering one matter every hall has.
    await seedCatalog(central.pool, demo.otherHall.id, { deletedMatters: ['MKT-002'] });
  });
  afterAll(async () => {
    await central.stop();
  });

  const get = async (path: string, ip = nextClient(), headers: Record<string, string> = {}) => {
    const res = await fetch(`${central.url}${path}`, { headers: { 'x-forwarded-for': ip, ...headers } });
    const body = await res.text();
    seen.push(body);
    return { status: res.status, headers: res.headers, json: JSON.parse(body) as unknown };
  };
  const list = async (query: string) => {
    const res = await get(`/open311/v2/requests.json?${query}`);
    expect(res.status, query).toBe(200);
    return requests.parse(res.json);
  };
  const expectError = (res: { status: number; json: unknown }, status: number) => {
    expect(res.status).toBe(status);
    const errors = open311ErrorSchema.parse(res.json);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe(status);
    return errors[0]!.description;
  };

  it('describes itself in discovery.json', async () => {
    const res = await get('/open311/discovery.json');
    expect(res.status).toBe(200);
    const discovery = open311DiscoverySchema.parse(res.json);
    expect(discovery.endpoints).toEqual([
      expect.objectContaining({
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${PUBLIC_URL}/open311/v2`,
        type: 'production',
        formats: ['application/json'],
      }),
    ]);
    expectError(await get('/open311/discovery.json?x=1'), 400);
  });

  it("lists a hall's active matters as services, with the hall's own catalog changes", async () => {
    const res = await get('/open311/v2/services.json?jurisdiction_id=TRK1');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const list1 = services.parse(res.json);
    expect(list1.map((s) => s.service_code)).toEqual(['HR-001', 'MKT-001', 'MKT-002']);
    expect(list1.find((s) => s.service_code === 'MKT-001')).toEqual({
      service_code: 'MKT-001',
      service_name: DEMO_MATTERS[0]!.nameZh,
      description: '市场监督管理局办理；承诺3个工作日办结（法定15个工作日）',
      metadata: false,
      type: 'batch',
      keywords: '个人',
      group: '市场监督管理局',
    });
    const other = services.parse((await get('/open311/v2/services.json?jurisdiction_id=TRK2')).json);
    expect(other.map((s) => s.service_code)).toEqual(['HR-001', 'MKT-001']);
  });

  it('needs jurisdiction_id while central serves several halls, and names an unknown one', async () => {
    expect(await expectError(await get('/open311/v2/services.json'), 400)).toContain('jurisdiction_id');
    expectError(await get('/open311/v2/requests.json'), 400);
    expectError(await get(`/open311/v2/requests/${demo.cases.supplement.caseNumber}.json`), 400);
    expect(expectError(await get('/open311/v2/services.json?jurisdiction_id=NOPE'), 404)).toContain('jurisdiction_id');
    expectError(await get('/open311/v2/requests.json?jurisdiction_id=NOPE'), 404);
  });

  it('lets a central with one hall leave jurisdiction_id out', async () => {
    const single = await startCentral({ trustProxy: '127.0.0.1' });
    try {
      const hall = await seedHall(single.pool, 'ONE', '唯一大厅');
      await seedCatalog(single.pool, hall.id, { departments: [], matters: [DEMO_MATTERS[0]!] });
      const c = await seedCase(single.pool, {
        hallId: hall.id,
        caseNumber: 'ONE-20261201-C01-0001',
        matterCode: 'MKT-001',
        departmentId: 'mkt',
        applicant: DEMO_PERSON,
        status: 'in_progress',
        acceptedAt: daysAgo(1),
        promisedDate: ymd(daysAgo(-3)),
        steps: [{ action: 'accept', to: 'accepted' }],
      });
      const at = (p: string) =>
        fetch(`${single.url}${p}`).then(async (r) => ({ status: r.status, json: await r.json() }));
      expect(services.parse((await at('/open311/v2/services.json')).json).map((s) => s.service_code)).toEqual([
        'MKT-001',
      ]);
      expect(requests.parse((await at('/open311/v2/requests.json')).json).map((r) => r.service_request_id)).toEqual([
        c.caseNumber,
      ]);
      const one = requests.parse((await at(`/open311/v2/requests/${c.caseNumber}.json`)).json);
      // No catalog row for the department: its id stands in.
      expect(one[0]).toMatchObject({ status: 'open', status_notes: '办理中', agency_responsible: 'mkt' });
      expect((await at('/open311/v2/services.json?jurisdiction_id=ONE')).status).toBe(200);
    } finally {
      await single.stop();
    }
  });

  it("answers a hall's cases of the last 90 days with their status in words and the promised date", async () => {
    const { supplement, approved, denied, reviewing, old, noCode, elsewhere } = demo.cases;
    const all = await list('jurisdiction_id=TRK1');
    // Newest first; the case accepted 120 days ago is outside the default window; the other hall's never shows.
    expect(all.map((r) => r.service_request_id)).toEqual(
      [reviewing, noCode, supplement, approved, denied].map((c) => c.caseNumber),
    );
    expect(all.map((r) => r.service_request_id)).not.toContain(old.caseNumber);
    expect(all.map((r) => r.service_request_id)).not.toContain(elsewhere.caseNumber);
    const byId = new Map(all.map((r) => [r.service_request_id, r]));
    const promised = (
      await central.pool.query<{ d: string }>(
        `SELECT to_char(promised_date, 'YYYY-MM-DD') AS d FROM case_status WHERE case_id = $1`,
        [supplement.caseId],
      )
    ).rows[0]!.d;
    expect(byId.get(supplement.caseNumber)).toMatchObject({
      status: 'open',
      status_notes: '补正中',
      service_name: '个体工商户设立登记',
      service_code: 'MKT-001',
      agency_responsible: '市场监督管理局',
      expected_datetime: `${promised}T23:59:59+08:00`,
    });
    expect(byId.get(supplement.caseNumber)!.requested_datetime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(byId.get(approved.caseNumber)).toMatchObject({ status: 'closed', status_notes: '已办结（准予）' });
    expect(byId.get(denied.caseNumber)).toMatchObject({ status: 'closed', status_notes: '已办结（不予）' });
    expect(byId.get(reviewing.caseNumber)).toMatchObject({
      status: 'open',
      status_notes: '受理审查中',
      agency_responsible: '人力资源和社会保障局',
    });
  });

  it('filters by status, service code, dates and ids, and pages', async () => {
    const { supplement, approved, denied, reviewing, old, noCode, elsewhere } = demo.cases;
    const ids = (rs: Open311Request[]) => rs.map((r) => r.service_request_id).sort();
    const sorted = (...cs: { caseNumber: string }[]) => cs.map((c) => c.caseNumber).sort();
    expect(ids(await list('jurisdiction_id=TRK1&status=closed'))).toEqual(sorted(approved, denied));
    expect(ids(await list('jurisdiction_id=TRK1&status=open'))).toEqual(sorted(supplement, reviewing, noCode));
    expect(ids(await list('jurisdiction_id=TRK1&service_code=MKT-002'))).toEqual(sorted(approved, denied));
    expect(ids(await list('jurisdiction_id=TRK1&service_code=HR-001,MKT-002&status=open'))).toEqual(sorted(reviewing));
    // Hall dates take in whole days; the old case is found when asked for.
    expect(
      ids(await list(`jurisdiction_id=TRK1&start_date=${ymd(daysAgo(125))}&end_date=${ymd(daysAgo(100))}`)),
    ).toEqual(sorted(old));
    expect(ids(await list(`jurisdiction_id=TRK1&end_date=${ymd(daysAgo(100))}`))).toEqual(sorted(old));
    const from = daysAgo(5).toISOString();
    expect(ids(await list(`jurisdiction_id=TRK1&start_date=${encodeURIComponent(from)}`))).toEqual(
      sorted(supplement, reviewing, noCode),
    );
    // Ids override every other filter, but never the jurisdiction.
    expect(
      ids(
        await list(
          `jurisdiction_id=TRK1&status=closed&service_request_id=${old.caseNumber},${supplement.caseNumber},${elsewhere.caseNumber}`,
        ),
      ),
    ).toEqual(sorted(old, supplement));
    const pages = [];
    for (let page = 1; page <= 3; page++) pages.push(await list(`jurisdiction_id=TRK1&page_size=2&page=${page}`));
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((r) => r.service_request_id)).toEqual(
      (await list('jurisdiction_id=TRK1')).map((r) => r.service_request_id),
    );
  });

  it('answers one request as an array of one, and 404 for a number unknown in that jurisdiction', async () => {
    const { denied, elsewhere } = demo.cases;
    const one = await get(`/open311/v2/requests/${denied.caseNumber}.json?jurisdiction_id=TRK1`);
    expect(one.status).toBe(200);
    expect(requests.parse(one.json)).toEqual([expect.objectContaining({ service_request_id: denied.caseNumber })]);
    expectError(await get(`/open311/v2/requests/${elsewhere.caseNumber}.json?jurisdiction_id=TRK1`), 404);
    expectError(await get('/open311/v2/requests/TRK1-20260101-C01-9999.json?jurisdiction_id=TRK1'), 404);
    expectError(await get(`/open311/v2/requests/${denied.caseNumber}.xml?jurisdiction_id=TRK1`), 404);
    expectError(await get('/open311/v2/nothing.json'), 404);
  });

  it('refuses bad and unknown parameters with 400 in GeoReport form', async () => {
    for (const q of [
      'jurisdiction_id=TRK1&foo=1',
      'jurisdiction_id=TRK1&api_key=x',
      'jurisdiction_id=TRK1&status=pending',
      'jurisdiction_id=TRK1&page_size=0',
      'jurisdiction_id=TRK1&page_size=1001',
      'jurisdiction_id=TRK1&page=abc',
      'jurisdiction_id=TRK1&start_date=yesterday',
      'jurisdiction_id=TRK1&status=open&status=closed',
      `jurisdiction_id=TRK1&start_date=${ymd(daysAgo(200))}&end_date=${ymd(daysAgo(10))}`,
      `jurisdiction_id=TRK1&start_date=${ymd(daysAgo(1))}&end_date=${ymd(daysAgo(10))}`,
    ]) {
      expect(expectError(await get(`/open311/v2/requests.json?${q}`), 400), q).not.toBe('');
    }
    expect(expectError(await get('/open311/v2/requests.json?jurisdiction_id=TRK1&foo=1'), 400)).toContain('foo');
    expectError(await get('/open311/v2/services.json?jurisdiction_id=TRK1&service_code=x'), 400);
    expectError(await get(`/open311/v2/requests/${demo.cases.denied.caseNumber}.json?jurisdiction_id=TRK1&x=1`), 400);
  });

  it('limits requests per client address, whatever Authorization header each carries', async () => {
    const ip = nextClient();
    const ask = () =>
      get('/open311/v2/services.json?jurisdiction_id=TRK1', ip, {
        authorization: `Bearer ${crypto.randomBytes(24).toString('base64url')}`,
      });
    for (let i = 0; i < OPEN311_RATE_LIMIT_PER_MINUTE; i++) expect((await ask()).status).toBe(200);
    const refused = await ask();
    expectError(refused, 429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await get('/open311/v2/services.json?jurisdiction_id=TRK1', nextClient())).status).toBe(200);
  });

  it('never answers with personal data or internal notes', () => {
    expect(seen.length).toBeGreaterThan(30);
    const everything = seen.join('\n');
    for (const secret of PRIVATE) expect(everything).not.toContain(secret);
    expect(everything).not.toContain('张**');
  });
});
