import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';
import { mutationDefs } from '@shared/sync/mutations';
import { hallDevice, mutation } from '../../../fixtures/central-console';
import { TEST_PASSWORD, totpCode } from '../../../fixtures/central-identity';
import { startCentral, type TestCentral } from '../../../fixtures/central-server';

const uuid = () => crypto.randomUUID();
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/** The console as `npm run build` wrote it; central serves it at /console/. */
export const CONSOLE_DIR = fileURLToPath(new URL('../../../../out/console', import.meta.url));

/** Central on a throw-away PostgreSQL database, serving the built console, with every real mutation. */
export const startConsoleCentral = () =>
  startCentral({ mutations: [...mutationDefs], consoleDir: CONSOLE_DIR, casework: { escalation: false } });

export interface Person {
  login: string;
  staffId: string;
  totpSecret: string;
  /** Each sign-in uses the authenticator's next step: a code is accepted once. */
  step: number;
}

/** A person created by the administrator, with a password and an authenticator, not yet signed in. */
export async function createPerson(
  central: TestCentral,
  p: { login: string; name: string; roles: string[]; hallIds: string[]; departmentIds?: string[] },
): Promise<Person> {
  const created = await central.admin.request<{ id: string }>('POST', '/admin/v1/staff', p);
  if (created.status !== 201) throw new Error(`create ${p.login} → ${created.status} ${JSON.stringify(created.json)}`);
  const pw = await central.admin.request<{ totpSecret: string }>(
    'POST',
    `/admin/v1/staff/${created.json.id}/password`,
    {
      password: TEST_PASSWORD,
    },
  );
  if (pw.status !== 200) throw new Error(`password ${p.login} → ${pw.status} ${JSON.stringify(pw.json)}`);
  return { login: p.login, staffId: created.json.id, totpSecret: pw.json.totpSecret, step: 0 };
}

/** The catalog of one hall: two departments, a matter of each with its checklist. */
export async function seedCatalog(central: TestCentral, hallId: string) {
  const dept = (id: string, nameZh: string) =>
    central.admin.putRef('catalog.department', id, { hallId, data: { id, nameZh, nameEn: id, phone: '' } });
  await dept('market', '市场监管局');
  await dept('housing', '住建局');
  const material = (id: string, nameZh: string, requirement: 'required' | 'optional' | 'tolerant') => ({
    id,
    nameZh,
    nameEn: id,
    requirement,
    form: 'original_and_copy',
    copies: 1,
    note: '',
  });
  const matter = (code: string, nameZh: string, departmentId: string) =>
    central.admin.putRef('catalog.matter', code, {
      hallId,
      data: {
        code,
        nameZh,
        nameEn: code,
        departmentId,
        applicantTypes: ['person', 'organisation'],
        materials: [
          material('m-form', '申请书', 'required'),
          material('m-id', '身份证明', 'required'),
          material('m-lease', '经营场所证明', 'tolerant'),
        ],
        feeFen: 0,
        legalDays: 20,
        promisedDays: 10,
        active: true,
      },
    });
  await matter('SC-001', '个体工商户设立登记', 'market');
  await matter('ZJ-001', '房屋租赁登记备案', 'housing');
}

/** A counter of the hall, enrolled at central, pushing the intake's real mutations. */
export async function counterDevice(central: TestCentral, hallId: string, hallCode: string) {
  const device = await hallDevice(central, hallId, 'counter');
  let caseSeq = 0;
  async function push(...ms: ReturnType<typeof mutation>[]): Promise<void> {
    const outcomes = await device.push(...ms);
    const refused = outcomes.filter((o) => o.status !== 'applied');
    if (refused.length) throw new Error(`push refused: ${JSON.stringify(refused)}`);
  }
  const m = mutation;

  return {
    /**
     * A case accepted at the counter today and dispatched to `departmentId`, promised `promisedDate`;
     * answers its id and number.
     */
    async dispatchCase(o: {
      applicant: string;
      matterCode: string;
      departmentId: string;
      promisedDate: string;
      acceptedAt?: string;
    }): Promise<{ caseId: string; caseNumber: string }> {
      const at = o.acceptedAt ?? new Date().toISOString();
      const [applicantId, visitId, caseId] = [uuid(), uuid(), uuid()];
      const caseNumber = `${hallCode}-${at.slice(0, 10).replaceAll('-', '')}-C1-${String(++caseSeq).padStart(4, '0')}`;
      await push(
        m('applicant.upsert@1', {
          applicantId,
          kind: 'person',
          name: o.applicant,
          idType: 'resident_id',
          idHash: sha256(`${o.applicant}-${caseNumber}`),
          idMasked: '110105********1234',
          phone: '13800138000',
          segment: 'citizen',
          orgType: null,
          contactName: null,
          at,
        }),
        m('visit.record@1', {
          visitId,
          counterId: 'w1',
          counterNumber: 1,
          clerkName: '李窗口',
          ticketId: null,
          ticketNumber: null,
          hallDay: at.slice(0, 10),
          applicantId,
          startedAt: at,
        }),
        m('case.create@1', {
          caseId,
          caseNumber,
          state: 'dispatched',
          applicantId,
          matterCode: o.matterCode,
          departmentId: o.departmentId,
          visitId,
          ticketId: null,
          ticketNumber: null,
          counterId: 'w1',
          counterNumber: 1,
          clerkName: '李窗口',
          feeFen: 0,
          materials: [
            { materialId: 'm-form', requirement: 'required', status: 'received' },
            { materialId: 'm-id', requirement: 'required', status: 'received' },
            { materialId: 'm-lease', requirement: 'tolerant', status: 'tolerated' },
          ],
          createdAt: at,
          acceptedAt: at,
          promisedDate: o.promisedDate,
          toleranceDueDate: o.promisedDate,
          rejectReason: null,
          events: [
            { action: 'accept', fromState: 'draft', toState: 'accepted', at },
            { action: 'dispatch', fromState: 'accepted', toState: 'dispatched', at },
          ],
        }),
      );
      return { caseId, caseNumber };
    },
    /** A complaint filed at the counter today, due `dueDate`; answers its id and number. */
    async fileComplaint(o: { content: string; dueDate: string; number: string }): Promise<{ feedbackId: string }> {
      const feedbackId = uuid();
      await push(
        m('feedback.create@1', {
          feedbackId,
          number: o.number,
          kind: 'complaint',
          channel: 'counter',
          category: 'efficiency',
          status: 'open',
          content: o.content,
          applicantId: null,
          contactName: '王先生',
          contactPhone: '13912345678',
          caseId: null,
          departmentId: null,
          ratingId: null,
          assignee: null,
          dueDate: o.dueDate,
          createdAt: new Date().toISOString(),
        }),
      );
      return { feedbackId };
    },
  };
}

/** A date `days` calendar days from today in the halls' zone (Asia/Shanghai), as YYYY-MM-DD. */
export function shanghaiDate(days = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + days * 864e5));
}

export const byTest = (page: Page, id: string) => page.locator(`[data-test="${id}"]`);

/** Signs the person in at the console through its sign-in page. */
export async function signIn(page: Page, central: TestCentral, who: Person, path = '/console/') {
  await page.goto(`${central.url}${path}`);
  await expect(byTest(page, 'sign-in-submit')).toBeVisible();
  await byTest(page, 'sign-in-login').fill(who.login);
  await byTest(page, 'sign-in-password').fill(TEST_PASSWORD);
  await byTest(page, 'sign-in-totp').fill(totpCode(who.totpSecret, who.step++));
  await byTest(page, 'sign-in-submit').click();
  await expect(byTest(page, 'who-name')).toBeVisible();
}

export { expectAccessible } from '../axe-check';
