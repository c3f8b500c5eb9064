import type { Tx } from '../db/pool';
import { BAD_RATING_MAX } from '@shared/api/methods/feedback';
import type { PushedMutation } from '@shared/sync/wire';
import type { IntakeMutationArgs, IntakeMutationName } from '@shared/sync/mutations/intake';
import { intakeStore, type NewCase } from '../store/intake-store';
import type { CaseContact } from '../notices/notice-store';
import { profileStore } from '../store/profile-store';
import type { QueueDayArchivedArgs, QueueTicketNoticeArgs } from '@shared/sync/mutations/queue';
import { queueHistoryStore } from '../store/queue-history-store';
import { counterCaseDetails, counterSteps, hallFeedbackStep, receiveSupplement } from '../casework/hall-steps';
import { nextFeedbackStatus, type FeedbackStatus } from '@shared/intake/feedback-states';
import { maskApplicantName, maskPhone } from '@shared/validation/mask';
import { attachmentStore } from '../attachments/attachment-store';
import { noticeEvents } from '../notices/notice-events';
import { ticketNotice } from '../notices/ticket-notices';
import type { BatchScope } from './batch-scope';

/** A business refusal of one mutation: committed as `rejected` with this reason, the queue goes on. */
export class Rejection extends Error {
  constructor(
    readonly reason: string,
    readonly details?: unknown,
  ) {
    super(reason);
  }
}

export interface ApplyContext {
  mutation: PushedMutation;
  /** The args as the registry's schema parsed them. */
  args: unknown;
  device: { id: string; hallId: string; leaderId: string | null };
  /** What the batch's appliers share (kept reads, history and notices written at its end). */
  batch: BatchScope;
}

/** Applies one accepted mutation to central's tables inside its push transaction; returns its result. */
export type Applier = (tx: Tx, ctx: ApplyContext) => Promise<unknown>;

/**
 * An applier of one intake mutation. The registry has already parsed the args with the intake's
 * schema (shared/sync/mutations/intake.ts), so they have exactly its type here.
 */
const intake =
  <N extends IntakeMutationName>(
    _key: N,
    apply: (tx: Tx, args: IntakeMutationArgs<N>, ctx: ApplyContext) => Promise<unknown>,
  ): Applier =>
  (tx, ctx) =>
    apply(tx, ctx.args as IntakeMutationArgs<N>, ctx);

/** What an applier of the batch has of it to add its lines and notices. */
type InBatch = Pick<ApplyContext, 'mutation' | 'device' | 'batch'>;

/**
 * A line of the profile's history; `entityId` from the args (a case line is joined with its status by it).
 * Written with the batch's other lines after its last applier.
 */
function history(
  ctx: InBatch,
  line: { profileId: string | null; what: string; entityId: string; at: string; summary: Record<string, unknown> },
) {
  if (!line.profileId) return;
  ctx.batch.addHistory({
    ...line,
    profileId: line.profileId,
    mutationId: ctx.mutation.mutationId,
    hallId: ctx.device.hallId,
  });
}

/** What a visit written adds to its batch, and its result (the intake run shares it: intake-set.ts). */
export function visitRecorded(ctx: InBatch, a: IntakeMutationArgs<'visit.record@1'>, profileId: string | null) {
  history(ctx, {
    profileId,
    what: 'visit',
    entityId: a.visitId,
    at: a.startedAt,
    summary: { ticketNumber: a.ticketNumber, counterNumber: a.counterNumber },
  });
  return { profileId };
}

/** A counter's new case as central stores it. */
export function newCase(
  a: IntakeMutationArgs<'case.create@1'>,
  hallId: string,
  profileId: string | null,
  details: Omit<Awaited<ReturnType<typeof counterCaseDetails>>, 'calendarMissing'>,
): NewCase {
  return {
    caseId: a.caseId,
    hallId,
    profileId,
    caseNumber: a.caseNumber,
    status: a.state,
    matterCode: a.matterCode,
    departmentId: a.departmentId,
    visitId: a.visitId,
    promisedDate: a.promisedDate,
    createdAt: a.createdAt,
    ...details,
    events: counterSteps(a),
  };
}

/** What a case written adds to its batch (its notice, its history line), and its result. */
export function caseCreated(
  ctx: InBatch,
  a: IntakeMutationArgs<'case.create@1'>,
  profileId: string | null,
  contact: CaseContact,
  calendarMissing: boolean,
) {
  const notice = noticeEvents.caseAccepted(contact, a.queryCode ?? null, new Date());
  if (notice) ctx.batch.addNotice(notice);
  history(ctx, {
    profileId,
    what: 'case',
    entityId: a.caseId,
    at: a.createdAt,
    summary: { caseNumber: a.caseNumber, matterCode: a.matterCode, promisedDate: a.promisedDate },
  });
  // A legal date in a year central has no calendar for is left empty, never guessed: said here.
  return { profileId, status: a.state, ...(calendarMissing ? { legalDate: 'NO_CALENDAR' } : {}) };
}

/** The profile a device's applicant record is linked to, read once a batch. */
async function profileOfApplicant(tx: Tx, ctx: ApplyContext, applicantId: string | null): Promise<string | null> {
  if (!applicantId) return null;
  const kept = ctx.batch.profileOfApplicant.get(applicantId);
  if (kept) return kept;
  const profileId = await profileStore.profileIdOfApplicant(tx, applicantId);
  if (profileId) ctx.batch.profileOfApplicant.set(applicantId, profileId);
  return profileId;
}

async function feedbackOfHall(tx: Tx, feedbackId: string, hallId: string) {
  const f = await intakeStore.feedback(tx, feedbackId, hallId);
  if (!f) throw new Rejection('UNKNOWN_FEEDBACK', { feedbackId });
  return f;
}

/** An appeal about a 差评 is a step in the history of the rectification it opened, if there is one. */
async function appealStep(tx: Tx, ratingId: string, action: string, at: string, note: string) {
  const f = await intakeStore.feedbackOfRating(tx, ratingId);
  if (f)
    await hallFeedbackStep(tx, {
      feedbackId: f.feedbackId,
      action,
      fromStatus: f.status,
      toStatus: f.status,
      at,
      note,
    });
}

// A return visit id is global: one already written for another feedback (maybe another hall's) stays its own.
const returnVisitTaken = (returnVisitId: string) =>
  new Rejection('RETURN_VISIT_OF_ANOTHER_FEEDBACK', { returnVisitId });

/**
 * A chunk of a hall day the queue archived: stored for the device's hall only, by hall and ticket (and
 * sign-in), so the same chunk twice or a day archived again by a restored hub counts once.
 */
const queueAppliers: Record<string, Applier> = {
  'queue.day.archived': async (tx, ctx) => {
    const a = ctx.args as QueueDayArchivedArgs;
    await queueHistoryStore.putDay(tx, ctx.device.hallId, ctx.device.id, a);
    return { hallDay: a.hallDay, chunk: a.chunk, tickets: a.tickets.length, sessions: a.sessions.length };
  },
  // The answer says what became of the notice, never the phone: it is kept in the mutation log.
  'queue.ticket.notice': (tx, ctx) =>
    ticketNotice(tx, ctx.device.hallId, ctx.args as QueueTicketNoticeArgs, new Date()),
};

/**
 * Mutation name → applier. A registered mutation without an applier is only logged (still exactly
 * once). Devices name applicants by their own record id; `applicant.upsert` maps that id to the
 * profile of the ID hash, one profile across halls.
 */
export const defaultAppliers: Record<string, Applier> = {
  'applicant.upsert': intake('applicant.upsert@1', async (tx, a, ctx) => {
    const { profileId, linkedProfileId } = await profileStore.mergeAndLink(
      tx,
      {
        idHash: a.idHash,
        kind: a.kind,
        name: a.name,
        idType: a.idType,
        idMasked: a.idMasked,
        phone: a.phone,
        segment: a.segment,
        orgType: a.orgType,
        contactName: a.contactName,
        at: a.at,
      },
      { applicantId: a.applicantId, hallId: ctx.device.hallId },
    );
    ctx.batch.profileOfApplicant.set(a.applicantId, linkedProfileId);
    return { profileId };
  }),

  'visit.record': intake('visit.record@1', async (tx, a, ctx) => {
    const profileId = await profileOfApplicant(tx, ctx, a.applicantId);
    const hallId = await intakeStore.putVisit(tx, {
      visitId: a.visitId,
      hallId: ctx.device.hallId,
      profileId,
      counterId: a.counterId,
      clerkName: a.clerkName,
      ticketNumber: a.ticketNumber,
      hallDay: a.hallDay,
      startedAt: a.startedAt,
    });
    if (hallId !== ctx.device.hallId) throw new Rejection('VISIT_OF_ANOTHER_HALL', { visitId: a.visitId });
    return visitRecorded(ctx, a, profileId);
  }),

  'case.create': intake('case.create@1', async (tx, a, ctx) => {
    const profileId = await profileOfApplicant(tx, ctx, a.applicantId);
    const { calendarMissing, ...details } = await counterCaseDetails(tx, ctx.device.hallId, a, ctx.batch);
    const created = await intakeStore.createCase(tx, newCase(a, ctx.device.hallId, profileId, details));
    if (created.kind === 'foreign') throw new Rejection('CASE_OF_ANOTHER_HALL', { caseId: a.caseId });
    return caseCreated(ctx, a, profileId, created.contact, calendarMissing);
  }),

  'case.pages.attach': intake('case.pages.attach@1', async (tx, a, ctx) => {
    const hallId = await attachmentStore.caseHall(tx, a.caseId);
    if (!hallId) throw new Rejection('UNKNOWN_CASE', { caseId: a.caseId });
    if (hallId !== ctx.device.hallId) throw new Rejection('CASE_OF_ANOTHER_HALL', { caseId: a.caseId });
    await attachmentStore.nameCasePages(tx, a.caseId, a.pages);
    return { pages: a.pages.length };
  }),

  'case.supplement.receive': intake('case.supplement.receive@1', async (tx, a, ctx) => {
    const r = await receiveSupplement(tx, ctx.device.hallId, a);
    if (!r.ok) throw new Rejection(r.reason, { caseId: a.caseId, ...(r.status ? { status: r.status } : {}) });
    return r;
  }),

  'feedback.create': intake('feedback.create@1', async (tx, a, ctx) => {
    const profileId = await profileOfApplicant(tx, ctx, a.applicantId);
    const created = await intakeStore.createFeedback(tx, {
      feedbackId: a.feedbackId,
      hallId: ctx.device.hallId,
      profileId,
      number: a.number,
      kind: a.kind,
      channel: a.channel,
      category: a.category,
      status: a.status,
      content: a.content,
      contactMasked: a.contactName ? maskApplicantName('person', a.contactName) : null,
      phoneMasked: a.contactPhone ? maskPhone(a.contactPhone) : null,
      caseId: a.caseId,
      departmentId: a.departmentId,
      ratingId: a.ratingId,
      dueDate: a.dueDate,
      createdAt: a.createdAt,
    });
    if (created) {
      await hallFeedbackStep(tx, {
        feedbackId: a.feedbackId,
        action: 'create',
        fromStatus: null,
        toStatus: a.status,
        at: a.createdAt,
        note: null,
      });
    }
    history(ctx, {
      profileId,
      what: 'feedback',
      entityId: a.feedbackId,
      at: a.createdAt,
      summary: { number: a.number, kind: a.kind, status: a.status },
    });
    return { profileId };
  }),

  'feedback.update': intake('feedback.update@1', async (tx, a, ctx) => {
    const f = await feedbackOfHall(tx, a.feedbackId, ctx.device.hallId);
    // The console may have moved the item since the hall saw it: a step the machine does not allow from
    // where it is now is refused, and what the console decided stands.
    if (nextFeedbackStatus(f.status as FeedbackStatus, a.action) !== a.status) {
      throw new Rejection('FEEDBACK_STATE_CONFLICT', { feedbackId: a.feedbackId, status: f.status });
    }
    await hallFeedbackStep(tx, {
      feedbackId: a.feedbackId,
      action: a.action,
      fromStatus: f.status,
      toStatus: a.status,
      at: a.at,
      note: a.note ?? a.resolution,
      change:
        a.action === 'resolve' && a.resolution ? { answer: a.resolution, answeredAt: a.at, answeredBy: null } : {},
    });
    history(ctx, {
      profileId: f.profileId,
      what: `feedback.${a.action}`,
      entityId: a.feedbackId,
      at: a.at,
      summary: { number: f.number, status: a.status },
    });
    return { status: a.status };
  }),

  'feedback.returnVisit.schedule': intake('feedback.returnVisit.schedule@1', async (tx, a, ctx) => {
    const f = await feedbackOfHall(tx, a.feedbackId, ctx.device.hallId);
    if (!(await intakeStore.scheduleReturnVisit(tx, a))) throw returnVisitTaken(a.returnVisitId);
    await hallFeedbackStep(tx, {
      feedbackId: a.feedbackId,
      action: 'return_visit_scheduled',
      fromStatus: f.status,
      toStatus: f.status,
      at: a.at,
      note: a.scheduledFor,
    });
    return null;
  }),

  'feedback.returnVisit.record': intake('feedback.returnVisit.record@1', async (tx, a, ctx) => {
    const f = await feedbackOfHall(tx, a.feedbackId, ctx.device.hallId);
    if (!(await intakeStore.recordReturnVisit(tx, a))) throw returnVisitTaken(a.returnVisitId);
    await hallFeedbackStep(tx, {
      feedbackId: a.feedbackId,
      action: 'return_visit',
      fromStatus: f.status,
      toStatus: f.status,
      at: a.doneAt,
      note: a.note || a.outcome,
    });
    history(ctx, {
      profileId: f.profileId,
      what: 'return_visit',
      entityId: a.returnVisitId,
      at: a.doneAt,
      summary: { number: f.number, outcome: a.outcome },
    });
    return null;
  }),

  'rating.submit': intake('rating.submit@1', async (tx, a, ctx) => {
    const visit = await intakeStore.visit(tx, a.visitId);
    if (visit && visit.hallId !== ctx.device.hallId) {
      throw new Rejection('VISIT_OF_ANOTHER_HALL', { visitId: a.visitId });
    }
    const profileId = visit?.profileId ?? null;
    await intakeStore.addRating(tx, { ...a, hallId: ctx.device.hallId, profileId });
    const bad = a.level <= BAD_RATING_MAX;
    history(ctx, {
      profileId,
      what: 'rating',
      entityId: a.ratingId,
      at: a.at,
      summary: { level: a.level, bad },
    });
    return { profileId, bad };
  }),
  'rating.notRated': intake('rating.notRated@1', async (tx, a, ctx) => {
    if (!(await intakeStore.markNotRated(tx, ctx.device.hallId, a.visitId, a.at))) {
      throw new Rejection('UNKNOWN_VISIT', { visitId: a.visitId });
    }
    return null;
  }),
  'rating.appeal.file': intake('rating.appeal.file@1', async (tx, a, ctx) => {
    if ((await intakeStore.ratingHall(tx, a.ratingId)) !== ctx.device.hallId) {
      throw new Rejection('UNKNOWN_RATING', { ratingId: a.ratingId });
    }
    await intakeStore.fileAppeal(tx, { ...a, hallId: ctx.device.hallId });
    await appealStep(tx, a.ratingId, 'appeal_filed', a.at, a.reason);
    return null;
  }),
  // An upheld appeal keeps the rating; the statistics leave it out (shared/intake/intake-stats.ts).
  'rating.appeal.decide': intake('rating.appeal.decide@1', async (tx, a, ctx) => {
    const decided = await intakeStore.decideAppeal(tx, { ...a, hallId: ctx.device.hallId });
    if (decided) await appealStep(tx, a.ratingId, `appeal_${a.decision}`, a.at, a.reason);
    return { decided };
  }),
  ...queueAppliers,
};
