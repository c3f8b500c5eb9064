import type { FastifyRequest } from 'fastify';
import type {
  CaseActionBody,
  CaseBulkInput,
  CaseBulkResult,
  CaseDetail,
  CaseQueueItem,
  CaseQueuePage,
  CaseQueueQuery,
} from '@shared/console/cases';
import { CASE_DUE_SOON_DAYS } from '@shared/console/deadline';
import { DEPARTMENT_CASE_STATES, OPEN_CASE_STATES, nextCaseState } from '@shared/intake/case-states';
import { maskApplicantName, maskPhone } from '@shared/validation/mask';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { auditAdmin } from '../identity/audit';
import { noticeEvents } from '../notices/notice-events';
import type { StaffRecord } from '../identity/staff-store';
import { caseStore, type CaseEventRow, type CaseRow } from './case-store';
import { handlesDepartment, scopeOf, seesCase } from './console-access';
import { HallCalendars, type CaseworkClock } from './hall-calendar';
import { putCaseStatus } from './status-refs';

const RUNNING: readonly string[] = OPEN_CASE_STATES;

const applicantMasked = (kind: 'person' | 'organisation' | null, name: string | null) =>
  name ? maskApplicantName(kind ?? 'person', name) : '';

function queueItem(c: CaseRow, cal: HallCalendars, today: string): CaseQueueItem {
  return {
    caseId: c.caseId,
    caseNumber: c.caseNumber,
    matterCode: c.matterCode,
    matterName: c.matterName,
    departmentId: c.departmentId,
    hallId: c.hallId,
    hallName: c.hallName,
    applicantMasked: applicantMasked(c.applicantKind, c.applicantName),
    acceptedAt: c.acceptedAt?.toISOString() ?? null,
    promisedDate: c.promisedDate,
    legalDate: c.legalDate,
    ...cal.due(c.hallId, today, c.promisedDate, RUNNING.includes(c.status)),
    status: c.status,
    version: c.version,
    supplementReceived: c.supplementReceivedAt !== null,
  };
}

const historyEntry = (e: CaseEventRow) => ({
  at: e.at.toISOString(),
  action: e.action,
  fromStatus: e.fromStatus,
  toStatus: e.toStatus,
  actorKind: e.actorKind,
  actorName: e.actorName,
  note: e.note,
});

/**
 * The case with its history. The applicant's phone is whole only for the department that works the case
 * (it may need to call); everyone else reads it masked.
 */
async function detailOf(q: Db | Tx, actor: StaffRecord, c: CaseRow, cal: HallCalendars, today: string) {
  const events = await caseStore.events(q, c.caseId);
  const phone =
    c.applicantPhone && (handlesDepartment(actor, c.departmentId) ? c.applicantPhone : maskPhone(c.applicantPhone));
  const detail: CaseDetail = {
    ...queueItem(c, cal, today),
    departmentName: c.departmentName,
    applicant: {
      kind: c.applicantKind,
      name: c.applicantName,
      idType: c.applicantIdType,
      idMasked: c.applicantIdMasked,
      phone,
      contactName: c.applicantContactName,
    },
    counterNumber: c.counterNumber,
    clerkName: c.clerkName,
    feeFen: c.feeFen,
    toleranceDueDate: c.toleranceDueDate,
    materials: c.materials,
    missing: c.missing,
    decision: c.decision,
    pickup: c.pickup,
    history: events.map(historyEntry),
  };
  return detail;
}

type CaseActOutcome =
  | { ok: true; detail: CaseDetail }
  | { ok: false; code: 'NOT_FOUND' | 'FORBIDDEN' }
  | { ok: false; code: 'CASE_VERSION_CONFLICT' | 'CASE_STATE_CONFLICT'; current: CaseDetail };

const CONFLICT_MESSAGES = {
  CASE_VERSION_CONFLICT: 'someone acted on this case first: look at it as it is now',
  CASE_STATE_CONFLICT: 'this action is not possible in the case’s present state',
} as const;
export const conflictMessage = (code: keyof typeof CONFLICT_MESSAGES) => CONFLICT_MESSAGES[code];

/** The department's work on cases: the queue, a case, its actions (one, or many at once). */
export function createCaseService(db: Db, clock: CaseworkClock) {
  const calendars = (q: Db | Tx) => HallCalendars.load(q);

  /** One action in the caller's transaction; the case row stays locked until it ends. */
  async function actIn(
    tx: Tx,
    req: FastifyRequest,
    actor: StaffRecord,
    caseId: string,
    version: number,
    act: CaseActionBody,
    cal: HallCalendars,
  ): Promise<CaseActOutcome & { version?: number }> {
    const c = await caseStore.byId(tx, caseId, true);
    if (!c) return { ok: false, code: 'NOT_FOUND' };
    const today = cal.today(c.hallId, clock);
    const who = { staffId: actor.id, login: actor.login };
    const entity = `case:${caseId}`;
    if (!handlesDepartment(actor, c.departmentId)) {
      await auditAdmin(tx, req, who, { action: `case_${act.action}`, entity, hallId: c.hallId, outcome: 'refused' });
      return { ok: false, code: 'FORBIDDEN' };
    }
    if (c.version !== version) {
      return { ok: false, code: 'CASE_VERSION_CONFLICT', current: await detailOf(tx, actor, c, cal, today) };
    }
    const to = nextCaseState(c.status, act.action);
    if (!to) return { ok: false, code: 'CASE_STATE_CONFLICT', current: await detailOf(tx, actor, c, cal, today) };
    const at = clock.now().toISOString();
    const note = act.note || null;
    const missing = act.action === 'request_supplement' ? act.missing : [];
    const decision = act.action === 'complete' ? act.decision : null;
    const pickup = act.action === 'complete' ? act.pickup : null;
    const next = await caseStore.move(tx, {
      caseId,
      version,
      status: to,
      at,
      note,
      missing,
      // 补正 stops the clock from today on; the counter's receipt of the materials starts it again.
      pausedSince: act.action === 'request_supplement' ? today : null,
      supplementReceivedAt: null,
      decision,
      pickup,
    });
    if (next === undefined) {
      const current = (await caseStore.byId(tx, caseId))!;
      return { ok: false, code: 'CASE_VERSION_CONFLICT', current: await detailOf(tx, actor, current, cal, today) };
    }
    await caseStore.addEvent(tx, {
      caseId,
      action: act.action,
      fromStatus: c.status,
      toStatus: to,
      at,
      actorKind: 'department',
      actorStaffId: actor.id,
      actorName: actor.name,
      note,
    });
    await putCaseStatus(tx, c.hallId, { caseId, status: to, at, note, missing, decision, pickup });
    await noticeEvents.caseMoved(
      tx,
      { caseId, action: act.action, version: next, missing, decision, pickup },
      new Date(at),
    );
    await auditAdmin(tx, req, who, {
      action: `case_${act.action}`,
      entity,
      hallId: c.hallId,
      before: { status: c.status, version: c.version },
      after: { status: to, version: next, act },
    });
    const after = (await caseStore.byId(tx, caseId))!;
    return { ok: true, detail: await detailOf(tx, actor, after, cal, today), version: next };
  }

  return {
    async queue(actor: StaffRecord, q: CaseQueueQuery): Promise<CaseQueuePage> {
      const cal = await calendars(db);
      const page = await caseStore.page(
        db,
        {
          scope: scopeOf(actor),
          statuses: q.status ? [q.status] : DEPARTMENT_CASE_STATES,
          running: RUNNING,
          hallId: q.hallId,
          departmentId: q.departmentId,
          due: q.due,
          q: q.q || undefined,
          days: cal.days(clock, CASE_DUE_SOON_DAYS),
        },
        { limit: q.pageSize, offset: (q.page - 1) * q.pageSize },
      );
      return {
        items: page.rows.map((c) => queueItem(c, cal, cal.today(c.hallId, clock))),
        total: page.total,
        dueSoon: page.dueSoon,
        overdue: page.overdue,
      };
    },

    async get(actor: StaffRecord, caseId: string): Promise<CaseDetail | 'NOT_FOUND' | 'FORBIDDEN'> {
      const c = await caseStore.byId(db, caseId);
      if (!c) return 'NOT_FOUND';
      if (!seesCase(scopeOf(actor), c)) return 'FORBIDDEN';
      const cal = await calendars(db);
      return detailOf(db, actor, c, cal, cal.today(c.hallId, clock));
    },

    /**
     * One action on the version the handler saw, in one transaction with its history line, the hall's
     * `case.status` row and the audit row: all of it or nothing.
     */
    async act(req: FastifyRequest, actor: StaffRecord, caseId: string, version: number, act: CaseActionBody) {
      return inTransaction(db, async (tx) => actIn(tx, req, actor, caseId, version, act, await calendars(tx)));
    },

    /** The same action on many cases, each in its own transaction: one case's conflict stops no other. */
    async bulk(req: FastifyRequest, actor: StaffRecord, input: CaseBulkInput): Promise<CaseBulkResult> {
      const cal = await calendars(db);
      const results: CaseBulkResult['results'] = [];
      for (const item of input.items) {
        const r = await inTransaction(db, (tx) => actIn(tx, req, actor, item.caseId, item.version, input.act, cal));
        results.push(
          r.ok
            ? { caseId: item.caseId, ok: true, version: r.version }
            : {
                caseId: item.caseId,
                ok: false,
                code: r.code,
                ...('current' in r ? { version: r.current.version } : {}),
              },
        );
      }
      return { results };
    },

    async reminders(actor: StaffRecord) {
      const cal = await calendars(db);
      const page = await caseStore.page(
        db,
        {
          scope: scopeOf(actor),
          statuses: DEPARTMENT_CASE_STATES,
          running: RUNNING,
          days: cal.days(clock, CASE_DUE_SOON_DAYS),
        },
        { limit: 0, offset: 0 },
      );
      return { casesDueSoon: page.dueSoon, casesOverdue: page.overdue };
    },
  };
}
