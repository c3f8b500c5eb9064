import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APPEAL_ROUTE_ZH } from '@shared/intake/case-outcome';
import { CASE_STATES } from '@shared/intake/case-states';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { SYNC_SCHEMA_HEADER, enrollResponseSchema } from '@shared/sync/wire';
import { maskIdNumber } from '@shared/validation/mask';
import { TRACKING_RATE_LIMIT_PER_MINUTE } from '../../central/src/tracking/tracking-routes';
import {
  DEMO_INTERNAL,
  DEMO_ORGANISATION,
  DEMO_PERSON,
  seedTrackingDemo,
  type SeededCase,
  type TrackingDemo,
} from '../fixtures/central-cases';
import { startCentral, type TestCentral } from '../fixtures/central-server';

const PUBLIC_URL = 'https://zwfw.example.gov.cn';

/** What the public must never read of an applicant or of central's internal handling. */
const PRIVATE = [
  DEMO_PERSON.name,
  DEMO_PERSON.idNumber,
  maskIdNumber(DEMO_PERSON.idNumber),
  DEMO_PERSON.phone,
  DEMO_ORGANISATION.idNumber,
  DEMO_ORGANISATION.phone,
  DEMO_ORGANISATION.contactName!,
  ...Object.values(DEMO_INTERNAL),
];

/**
 * The public tracking page `/track`: the case for the right number and query code, one identical 404
 * for every other answer, a limit per client address. Central trusts the loopback proxy here, so each
 * test is its own client by X-Forwarded-For and no test eats another's allowance.
 */
describe('central: public case tracking (/track)', () => {
  let central: TestCentral;
  let demo: TrackingDemo;
  let client = 0;
  const nextClient = () => `203.0.113.${++client}`;

  beforeAll(async () => {
    central = await startCentral({ trustProxy: '127.0.0.1', publicUrl: `${PUBLIC_URL}/` });
    demo = await seedTrackingDemo(central.pool);
  });
  afterAll(async () => {
    await central.stop();
  });

  const get = (path: string, ip: string, headers: Record<string, string> = {}) =>
    fetch(`${central.url}${path}`, { headers: { 'x-forwarded-for': ip, ...headers }, redirect: 'manual' });
  const link = (c: SeededCase, code = c.queryCode!) =>
    `/track/${encodeURIComponent(c.caseNumber)}?code=${encodeURIComponent(code)}`;
  /** The page's text without tags, as a person reads it. */
  const text = (html: string) => html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ');

  it('shows the case for its number and query code: timeline, what is missing, a masked name, nothing private', async () => {
    const res = await get(link(demo.cases.supplement), nextClient());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
    const page = text(html);
    for (const words of ['个体工商户设立登记', '西湖区政务服务中心', '市场监督管理局', '张**', '补正中']) {
      expect(page).toContain(words);
    }
    // The timeline in order, in words.
    const steps = [...html.matchAll(/<span class="what">([^<]+)<\/span>/g)].map((m) => m[1]);
    expect(steps).toEqual(['已受理', '已分办', '受理审查中', '补正中']);
    // What to bring, with its note; a name with markup in it is text, not markup.
    expect(page).toContain('经营场所使用证明');
    expect(page).toContain('需加盖产权单位公章');
    expect(html).toContain('&lt;b&gt;租赁合同&lt;/b&gt;复印件');
    expect(html).not.toContain('<b>租赁合同');
    // The department's phone is the enquiry number central knows.
    expect(html).toContain('href="tel:0571-87001234"');
    for (const secret of [...PRIVATE, demo.cases.supplement.queryCode!]) expect(html).not.toContain(secret);
    // No state code ever shows (the stylesheet's class names are not text).
    for (const code of CASE_STATES) expect(page).not.toContain(code);
  });

  it('sends the page with a script-free CSP, no caching and no referrer', async () => {
    const res = await get(link(demo.cases.supplement), nextClient());
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(csp).not.toContain('script-src');
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).not.toMatch(/<script|\son\w+=|style="/i);
    // The hash in the policy is the hash of the one stylesheet.
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(csp).toContain(`'sha256-${crypto.createHash('sha256').update(css).digest('base64')}'`);
  });

  it('takes the code as typed from paper: lower case, spaces and dashes', async () => {
    const code = demo.cases.supplement.queryCode!;
    const typed = `${code.slice(0, 5).toLowerCase()}-${code.slice(5)} `;
    const res = await get(link(demo.cases.supplement, typed), nextClient());
    expect(res.status).toBe(200);
  });

  it('shows a refusal with its appeal route but not its reason, and pickup at the counter', async () => {
    const html = await (await get(link(demo.cases.denied), nextClient())).text();
    const page = text(html);
    expect(page).toContain('已办结（不予）');
    expect(page).toContain('不予');
    expect(page).toContain(DEFAULT_APPEAL_ROUTE_ZH);
    expect(page).toContain('窗口领取');
    expect(page).not.toContain('准予');
    for (const secret of PRIVATE) expect(html).not.toContain(secret);
  });

  it("shows an organisation's name whole, the approval and the posted result's carrier and number", async () => {
    const html = await (await get(link(demo.cases.approved), nextClient())).text();
    const page = text(html);
    expect(page).toContain(DEMO_ORGANISATION.name);
    expect(page).toContain('已办结（准予）');
    expect(page).toContain('邮寄');
    expect(page).toContain('EMS');
    expect(page).toContain('EA123456789CN');
    // Nothing was missing once it was done, and a completed case asks for nothing.
    expect(page).not.toContain('需补正的材料');
    for (const secret of PRIVATE) expect(html).not.toContain(secret);
  });

  it('answers a wrong code, a malformed code and an unknown number with the same 404, byte for byte', async () => {
    const { supplement, approved, noCode, elsewhere } = demo.cases;
    const ip = nextClient();
    const asks = [
      link(supplement, approved.queryCode!), // another case's code
      link(supplement, 'ZZZZZZZZZZ'), // well-formed, wrong
      link(supplement, 'not a code!'), // malformed
      link(supplement, 'ABCDEFGHIL'), // L is not in the alphabet
      link(supplement, ''),
      `${link(supplement)}&utm_source=x`, // anything beside the code
      `/track/TRK1-20260101-C01-9999?code=${supplement.queryCode}`, // unknown number, a real code
      link(noCode, 'ZZZZZZZZZZ'), // a case from before query codes: no code opens it
      `/track/${'9'.repeat(41)}?code=${supplement.queryCode}`, // a number too long to be one
      `/track?caseNumber=${encodeURIComponent(supplement.caseNumber)}&code=ZZZZZZZZZZ`, // the form, wrong code
      `/track?caseNumber=${encodeURIComponent(elsewhere.caseNumber)}&code=${supplement.queryCode}`,
    ];
    const bodies = new Set<string>();
    for (const ask of asks) {
      const res = await get(ask, ip);
      expect(res.status, ask).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
      bodies.add(await res.text());
    }
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).toContain('未查到办件');
  });

  it('serves a form at /track that looks the case up by GET, and asks for the code when a link has none', async () => {
    const ip = nextClient();
    const form = await (await get('/track', ip)).text();
    expect(form).toContain('<form method="get" action="/track">');
    expect(form).toMatch(/<label for="case-number">办件编号<\/label>\s*<input id="case-number" name="caseNumber"/);
    expect(form).toMatch(/<label for="query-code">查询码<\/label>\s*<input id="query-code" name="code"/);
    const { supplement } = demo.cases;
    const viaForm = await get(
      `/track?caseNumber=${encodeURIComponent(supplement.caseNumber)}&code=${supplement.queryCode}`,
      ip,
    );
    expect(viaForm.status).toBe(200);
    expect(await viaForm.text()).toContain('经营场所使用证明');
    // A link without its code: the form with the number filled in, the same for a number nobody has.
    const known = await (await get(`/track/${encodeURIComponent(supplement.caseNumber)}`, ip)).text();
    const unknown = await (await get('/track/TRK1-20260101-C01-9999', ip)).text();
    expect(known).toContain(`value="${supplement.caseNumber}"`);
    expect(known.replace(supplement.caseNumber, 'N')).toBe(unknown.replace('TRK1-20260101-C01-9999', 'N'));
    // A number typed with markup is escaped in the form.
    const odd = await (await get(`/track/${encodeURIComponent('"><i>x')}`, ip)).text();
    expect(odd).toContain('value="&quot;&gt;&lt;i&gt;x"');
  });

  it('limits lookups per client address, whatever Authorization header each guess carries', async () => {
    const guesser = nextClient();
    const guess = () =>
      get(link(demo.cases.supplement, 'ZZZZZZZZZZ'), guesser, {
        authorization: `Bearer ${crypto.randomBytes(24).toString('base64url')}`,
      });
    for (let i = 0; i < TRACKING_RATE_LIMIT_PER_MINUTE; i++) expect((await guess()).status).toBe(404);
    const refused = await guess();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.text()).toContain('查询过于频繁');
    // Even the right code waits now: the limit is on the address, not on wrong answers.
    expect((await get(link(demo.cases.supplement), guesser)).status).toBe(429);
    // Another address is not held up.
    expect((await get(link(demo.cases.supplement), nextClient())).status).toBe(200);
  });

  it("tells an enrolling device central's tracking page, and nothing when central has no public address", async () => {
    const enroll = async () => {
      const res = await fetch(`${central.url}/sync/v1/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SYNC_SCHEMA_HEADER]: String(SYNC_SCHEMA_VERSION) },
        body: JSON.stringify({ code: await central.admin.code(demo.hall.id, 'counter'), deviceName: 'counter' }),
      });
      expect(res.status).toBe(200);
      return enrollResponseSchema.parse(await res.json());
    };
    expect((await enroll()).trackingUrl).toBe(`${PUBLIC_URL}/track`);
    await central.restart({ trustProxy: '127.0.0.1' });
    expect((await enroll()).trackingUrl).toBeNull();
  });
});
