import crypto from 'node:crypto';
import type { Matter } from '@shared/api';
import type { IntakeMutationArgs } from '@shared/sync/mutations/intake';
import type { Tx } from '../db/pool';
import { caseStore, type CaseEvent } from './case-store';
import { catalogStore } from './catalog-store';
import { feedbackStore, type FeedbackChange } from './feedback-store';
import { publishFeedback } from './feedback-service';
import { HallCalendars } from './hall-calendar';
import { putCaseStatus } from './status-refs';

/**
 * What a hall's mutations add to casework: the case as the counter accepted it (its checklist with the
 * catalog's names, the legal date by the hall's calendar, the query code's hash, its first steps), the
 * counter's receipt of 补正 materials, and each change of a feedback item as a history line.
 */

const calendars = (tx: Tx) => HallCalendars.load(tx);

/** The case's details beyond its status; `calendarMissing`: a year on the way to the legal date has no calendar. */
export async function counterCaseDetails(
  tx: Tx,
  hallId: string,
  a: IntakeMutationArgs<'case.create@1'>,
  /**
   * What this push batch has already read: matters by `<hallId> <matterCode>`, and the halls' calendars
   * (holidays and time zones, written by central's administrators only).
   */
  kept: { matters: Map<string, Matter | undefined>; calendars?: HallCalendars },
) {
  const { matters } = kept;
  const key = `${hallId} ${a.matterCode}`;
  const matter = matters.has(key) ? matters.get(key) : await catalogStore.matter(tx, a.matterCode, hallId);
  matters.set(key, matter);
  const names = new Map(matter?.materials.map((m) => [m.id, m.nameZh]));
  let legalDate: string | null = null;
  let calendarMissing = false;
  if (matter && a.acceptedAt) {
    const cal = (kept.calendars ??= await calendars(tx));
    legalDate = cal.addWorkingDays(hallId, cal.dateAt(hallId, new Date(a.acceptedAt)), matter.legalDays);
    calendarMissing = legalDate === null;
  }
  return {
    acceptedAt: a.acceptedAt,
    feeFen: a.feeFen,
    counterNumber: a.counterNumber,
    clerkName: a.clerkName,
    materials: a.materials.map((m) => ({ ...m, name: names.get(m.materialId) ?? m.materialId })),
    toleranceDueDate: a.toleranceDueDate,
    queryCodeSha256: a.queryCode ? crypto.createHash('sha256').update(a.queryCode).digest('hex') : null,
    legalDate,
    calendarMissing,
  };
}

/** The counter's own steps of a new case (accept, dispatch…), as its history begins. */
export function counterSteps(a: IntakeMutationArgs<'case.create@1'>): CaseEvent[] {
  return a.events.map((e) => ({
    caseId: a.caseId,
    action: e.action,
    fromStatus: e.fromState,
    toStatus: e.toState,
    at: e.at,
    actorKind: 'hall',
    actorStaffId: null,
    actorName: a.clerkName || null,
    note: null,
  }));
}

type SupplementOutcome =
  | {
      ok: true;
      status: 'in_progress';
      promisedDate: string | null;
      pausedWorkingDays: number;
      calendarMissing: boolean;
    }
  | { ok: false; reason: 'UNKNOWN_CASE' | 'CASE_STATE_CONFLICT'; status?: string };

/**
 * The applicant brought the 补正 materials to the counter: the case runs again. The working days it waited
 * do not count against the promise (nor the legal limit), so both move on by them. A case the department
 * has moved on meanwhile (returned it, say) is not moved back: the mutation is refused, the queue goes on.
 */
export async function receiveSupplement(
  tx: Tx,
  hallId: string,
  a: IntakeMutationArgs<'case.supplement.receive@1'>,
): Promise<SupplementOutcome> {
  const c = await caseStore.byId(tx, a.caseId, true);
  if (!c || c.hallId !== hallId) return { ok: false, reason: 'UNKNOWN_CASE' };
  if (c.status !== 'supplement_requested') return { ok: false, reason: 'CASE_STATE_CONFLICT', status: c.status };
  const cal = await calendars(tx);
  const received = cal.dateAt(hallId, new Date(a.at));
  const paused = c.pausedSince ? Math.max(0, cal.daysLeft(hallId, c.pausedSince, received)) : 0;
  const moved = (date: string | null) => (date && paused > 0 ? cal.addWorkingDays(hallId, date, paused) : date);
  const promisedDate = moved(c.promisedDate);
  const legalDate = moved(c.legalDate);
  // A year without a calendar: the dates stay as they were, and the mutation's result says why.
  const calendarMissing =
    (c.promisedDate !== null && promisedDate === null) || (c.legalDate !== null && legalDate === null);
  const note = a.note || null;
  await caseStore.move(tx, {
    caseId: c.caseId,
    version: c.version,
    status: 'in_progress',
    at: a.at,
    note,
    missing: [],
    pausedSince: null,
    supplementReceivedAt: a.at,
    decision: null,
    pickup: null,
    promisedDate: promisedDate ?? c.promisedDate,
    legalDate: legalDate ?? c.legalDate,
  });
  await caseStore.addEvent(tx, {
    caseId: c.caseId,
    action: 'resume',
    fromStatus: c.status,
    toStatus: 'in_progress',
    at: a.at,
    actorKind: 'hall',
    actorStaffId: null,
    actorName: a.receivedBy || null,
    note,
  });
  const newPromise = promisedDate !== c.promisedDate ? promisedDate : null;
  await putCaseStatus(tx, hallId, {
    caseId: c.caseId,
    status: 'in_progress',
    at: a.at,
    note,
    promisedDate: newPromise,
  });
  return {
    ok: true,
    status: 'in_progress',
    promisedDate: promisedDate ?? c.promisedDate,
    pausedWorkingDays: paused,
    calendarMissing,
  };
}

/**
 * A change of a feedback item the hall made: its history line, a new version (a console decision taken on
 * the old one is refused), and central's side of it for the hall's dashboard, due soon or overdue as of
 * the day of the change (a device that pushes days late is set right by the next escalation pass).
 */
export async function hallFeedbackStep(
  tx: Tx,
  s: {
    feedbackId: string;
    action: string;
    fromStatus: string | null;
    toStatus: string;
    at: string;
    note: string | null;
    change?: FeedbackChange;
  },
) {
  if (s.fromStatus !== null) {
    await feedbackStore.move(tx, { feedbackId: s.feedbackId, status: s.toStatus, at: s.at, change: s.change });
  }
  await feedbackStore.addEvent(tx, { ...s, actorStaffId: null, actorName: null });
  const cal = await calendars(tx);
  await publishFeedback(tx, cal, (hallId) => cal.dateAt(hallId, new Date(s.at)), s.at, s.feedbackId);
}
