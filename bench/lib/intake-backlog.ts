// A counter device that worked offline for days: real intakes through the whole core (tests/fixtures/
// intake-core.ts), each a called ticket, an applicant (new, returning or an organisation) and a case
// (accepted, or the missing-materials notice), the clock moving through the hall day, then the next
// day's reset. Its outbox holds what such a device sends central when it is back: the real mutations
// (applicant.upsert, visit.record, case.create, the day archives, the audit records of sign-ins).
import type { Database } from 'better-sqlite3';
import { startIntakeCore, type IntakeCore } from '../../tests/fixtures/intake-core';
import { sizeByTable, type DbSize } from './dbstat';
import { ownedTempDir } from './processes';

export const BACKLOG_HALL = 'BENCH1';
/** Monday 2026-03-02 10:00 in Shanghai: the first offline day. */
const FIRST_DAY = '2026-03-02T02:00:00.000Z';
const DAY_MS = 86_400_000;
/** The morning the device is back online: the day after the last offline day, 09:00 in Shanghai. */
const backOnline = (days: number) => new Date(Date.parse(FIRST_DAY) + days * DAY_MS - 3_600_000).toISOString();

const PERSON_MATTERS = ['PSB-001', 'HRSS-001', 'HSA-001', 'HPF-001', 'SAMR-004'];
const ORG_MATTERS = ['SAMR-002', 'TAX-001'];

/** The first 17 digits of a resident ID that differs for every i: the birth date moves a day per thousand. */
const personFirst17 = (i: number) => {
  const born = new Date(Date.UTC(1950, 0, 1 + Math.floor(i / 1000))).toISOString().slice(0, 10).replaceAll('-', '');
  return `110105${born}${String(i % 1000).padStart(3, '0')}`;
};
/** The first 17 characters of a credit code that differs for every i. */
const orgFirst17 = (i: number) => `91350100${String(i).padStart(9, '0')}`;

async function oneIntake(t: IntakeCore, i: number, materials: (code: string) => Promise<unknown[]>, last: string[]) {
  const ticket = await t.calledTicket();
  let applicantId: string;
  let matterCode: string;
  if (i % 5 === 4) {
    matterCode = ORG_MATTERS[i % ORG_MATTERS.length]!;
    const org = await t.organisation(orgFirst17(i), `示范企业${i}有限公司`);
    applicantId = org.id;
  } else {
    matterCode = PERSON_MATTERS[i % PERSON_MATTERS.length]!;
    // One visit in four is someone who came before.
    const returning = i % 4 === 3 && last.length > 0;
    applicantId = returning ? last[i % last.length]! : (await t.person(personFirst17(i), `申请人${i}`)).id;
    if (!returning) last.push(applicantId);
  }
  // One in ten is missing a material: the 一次性告知 notice instead of acceptance.
  const notice = i % 10 === 9;
  const ticked = (await materials(matterCode)) as { materialId: string; status: string }[];
  await t.call('case.intake', {
    mutationId: t.m(),
    counterId: 'w1',
    ticketId: ticket.id,
    applicantId,
    matterCode,
    materials: notice ? ticked.map((m, k) => (k === 0 ? { ...m, status: 'missing' } : m)) : ticked,
    outcome: notice ? 'notice' : 'accept',
  } as never);
}

export interface Backlog {
  /** A copy of the device database with the backlog queued (online backup, consistent). */
  file: string;
  intakes: number;
  cases: number;
  /** Outbox rows pending, by mutation name. */
  pending: Record<string, number>;
  /** When the device comes back online (the morning after the last offline day). */
  backOnlineAt: string;
  /** The database as the core created it (demo hall, nothing done yet), and after the offline days. */
  size: { empty: DbSize; offline: DbSize };
  remove(): void;
}

export async function offlineBacklog(plan: { intakesPerDay: number; days: number }): Promise<Backlog> {
  const out = ownedTempDir('ow-bench-backlog-');
  const t = await startIntakeCore(FIRST_DAY, { hallCode: BACKLOG_HALL });
  try {
    // The demo hall's 500 tickets a queue a day would end a busy day early: lifted as the load figures lift it.
    for (const q of await t.asAdmin('queue.admin.queues', {})) {
      await t.asAdmin('queue.admin.queues.upsert', { ...q, dailyMax: 9999 });
    }
    const empty = sizeByTable(t.peek);
    const ticks = new Map<string, unknown[]>();
    const materials = async (code: string) => ticks.get(code) ?? ticks.set(code, await t.tick(code)).get(code)!;
    const returning: string[] = [];
    // A service day of eight hours, one intake after another.
    const step = Math.floor((8 * 3_600_000) / plan.intakesPerDay);
    let i = 0;
    for (let day = 0; day < plan.days; day++) {
      t.setNow(new Date(Date.parse(FIRST_DAY) - 3_600_000 + day * DAY_MS).toISOString());
      // The daily reset ended yesterday's counter session: the clerk signs in again each morning.
      if (day > 0) await t.signInCounter('w1');
      for (let k = 0; k < plan.intakesPerDay; k++, i++) {
        await oneIntake(t, i, materials, returning);
        t.advance(step);
        // The core answers without waiting for I/O: without a turn of the event loop here, nothing else
        // in this process (central starting meanwhile) would get one until the backlog is written.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    // The next morning's reset archives the last day: its rows are queued too.
    t.setNow(backOnline(plan.days));
    await t.signInCounter('w1');
    const file = `${out.dir}/device.sqlite`;
    await t.peek.backup(file);
    return {
      file,
      intakes: i,
      cases: t.count('cases'),
      pending: pendingByName(t.peek),
      backOnlineAt: backOnline(plan.days),
      size: { empty, offline: sizeByTable(t.peek) },
      remove: out.remove,
    };
  } catch (e) {
    out.remove();
    throw e;
  } finally {
    t.stop();
  }
}

export function pendingByName(db: Database): Record<string, number> {
  const rows = db
    .prepare<[], { name: string; n: number }>(
      "SELECT name, count(*) AS n FROM outbox WHERE status = 'pending' GROUP BY name ORDER BY name",
    )
    .all();
  return Object.fromEntries(rows.map((r) => [r.name, r.n]));
}
