import crypto from 'node:crypto';
import type { z } from 'zod';
import { AppError, type Feedback, type ParsedInput, type Rating } from '@shared/api';
import {
  BAD_RATING_MAX,
  type FEEDBACK_CATEGORIES,
  type RATING_REASONS,
  type RETURN_VISIT_METHODS,
} from '@shared/api/methods/feedback';
import { formatFeedbackNumber } from '@shared/intake/case-number';
import {
  ANSWERED_FEEDBACK_STATUSES,
  nextFeedbackStatus,
  OPEN_FEEDBACK_STATUSES,
  type FeedbackAction,
} from '@shared/intake/feedback-states';
import type { REF_KINDS } from '@shared/sync/reference';
import type { Caller } from '../api/caller';
import type { ApplicantStore } from '../store/applicant-store';
import type { CaseStore } from '../store/case-store';
import type { DaySeqStore } from '../store/day-seq-store';
import type { FeedbackRecord, FeedbackStore } from '../store/feedback-store';
import type { VisitRecord } from '../store/visit-store';
import type { CatalogService } from './catalog-service';
import type { CommandContext, CommandRunner } from './intake-command';

/** Central's side of a feedback item the hall filed (a `feedback.status` row). */
export type CentralFeedbackStatus = z.output<(typeof REF_KINDS)['feedback.status']['data']>;

/** Working days to answer, by kind, when the clerk gives no due date. */
export const FEEDBACK_DUE_WORKING_DAYS = { complaint: 5, enquiry: 1, suggestion: 10 } as const;

/** A bad review's return visit is a phone call unless the clerk reschedules it. */
const RECTIFICATION_RETURN_VISIT_METHOD = 'phone';

/** The category a bad review's first reason files its rectification under. */
const RECTIFICATION_CATEGORY: Record<(typeof RATING_REASONS)[number], (typeof FEEDBACK_CATEGORIES)[number]> = {
  long_wait: 'efficiency',
  attitude: 'attitude',
  not_one_time_notice: 'materials',
  too_many_materials: 'materials',
  slow_processing: 'efficiency',
  unclear_guidance: 'process',
  system_failure: 'system',
  other: 'other',
};

const refuse = (code: 'CONFLICT' | 'NOT_FOUND' | 'INVALID_INPUT' | 'FORBIDDEN', reason: string, message: string) =>
  new AppError(code, message, { reason });

/** Who handles a bad rating's rectification and return visit: the hall's supervisors (or its administrator). */
export const RATING_FOLLOW_UP_ROLES = ['supervisor', 'hall_admin'] as const;
export const mayFollowUpRatings = (caller: Caller): boolean =>
  caller.person?.roles.some((r) => (RATING_FOLLOW_UP_ROLES as readonly string[]).includes(r)) ?? false;

/** Complaints, suggestions and enquiries (投诉/建议/咨询), their follow-up and return visits (回访). */
export function createFeedbackService(deps: {
  store: FeedbackStore;
  applicants: ApplicantStore;
  cases: CaseStore;
  daySeq: DaySeqStore;
  catalog: CatalogService;
  commands: CommandRunner;
  hallCode: string;
  deviceCode: string;
  today: () => string;
  now: () => Date;
  /** The clerk a rating rates (staff id null: a visit from before accounts). */
  ratedClerkOf: (ratingId: string) => { staffId: string | null; name: string } | null;
  /** The level and reasons of a rating, for its rectification's view. */
  ratingOf: (ratingId: string) => Pick<Rating, 'level' | 'reasons'> | null;
}) {
  const { store, commands, catalog, today, now } = deps;

  /**
   * A bad rating's rectification is the supervisors' (DOMAIN.md, "Rating"): only they act on it, and never
   * the clerk it rates, even a supervisor rated at a counter of their own.
   */
  function mayHandle(f: FeedbackRecord, caller: Caller): void {
    if (f.channel !== 'rating' || !f.ratingId) return;
    if (!mayFollowUpRatings(caller)) {
      throw refuse('FORBIDDEN', 'SUPERVISOR_REQUIRED', 'a bad rating is followed up by the hall’s supervisors');
    }
    const rated = deps.ratedClerkOf(f.ratingId)?.staffId ?? null;
    if (rated !== null && rated === caller.person?.staffId) {
      throw refuse(
        'FORBIDDEN',
        'RATED_CLERK_MAY_NOT_CLOSE',
        'the rated clerk may not handle, close or record the return visit of their own bad rating',
      );
    }
  }

  function view(f: FeedbackRecord, day = today()): Feedback {
    const returnVisits = store.returnVisits(f.id).map((r) => ({
      ...r,
      overdue: f.status !== 'closed' && r.doneAt === null && r.scheduledFor < day,
    }));
    return {
      ...f,
      ratedClerk: f.ratingId ? deps.ratedClerkOf(f.ratingId) : null,
      rating: f.ratingId ? deps.ratingOf(f.ratingId) : null,
      overdue: (OPEN_FEEDBACK_STATUSES.includes(f.status) && f.dueDate < day) || returnVisits.some((r) => r.overdue),
      returnVisits,
    };
  }

  function itemOrThrow(feedbackId: string): FeedbackRecord {
    const f = store.byId(feedbackId);
    if (!f) throw refuse('NOT_FOUND', 'UNKNOWN_FEEDBACK', 'no such feedback item');
    return f;
  }

  function insert(
    ctx: CommandContext,
    f: Omit<FeedbackRecord, 'id' | 'number' | 'createdAt' | 'updatedAt'>,
    actor: string,
  ) {
    const at = now().toISOString();
    const day = today();
    const seq = deps.daySeq.next('feedback', day);
    const record: FeedbackRecord = {
      ...f,
      id: crypto.randomUUID(),
      number: formatFeedbackNumber(deps.hallCode, day, deps.deviceCode, seq),
      createdAt: at,
      updatedAt: at,
    };
    store.insert(record);
    store.insertEvent({
      feedbackId: record.id,
      action: 'create',
      fromStatus: null,
      toStatus: record.status,
      at,
      actor,
      note: null,
    });
    const { id: feedbackId, resolution: _r, updatedAt: _u, ...rest } = record;
    ctx.append('feedback.create@1', { feedbackId, ...rest }, feedbackId);
    ctx.emit('feedback.changed', { feedbackId });
    return record;
  }

  function appendReturnVisit(
    ctx: CommandContext,
    feedbackId: string,
    scheduledFor: string,
    method: (typeof RETURN_VISIT_METHODS)[number],
  ) {
    const at = now().toISOString();
    const returnVisitId = crypto.randomUUID();
    store.insertReturnVisit({ id: returnVisitId, feedbackId, scheduledFor, method, createdAt: at });
    ctx.append('feedback.returnVisit.schedule@1', { returnVisitId, feedbackId, scheduledFor, method, at }, feedbackId);
    ctx.emit('feedback.changed', { feedbackId });
  }

  function change(
    ctx: CommandContext,
    f: FeedbackRecord,
    action: FeedbackAction,
    patch: Partial<Pick<FeedbackRecord, 'assignee' | 'resolution'>>,
    actor: string,
    note: string | null,
  ): FeedbackRecord {
    const to = nextFeedbackStatus(f.status, action);
    if (!to) throw refuse('CONFLICT', 'ILLEGAL_TRANSITION', `a ${f.status} item cannot ${action}`);
    const at = now().toISOString();
    const next: FeedbackRecord = { ...f, ...patch, status: to, updatedAt: at };
    store.update(next);
    store.insertEvent({ feedbackId: f.id, action, fromStatus: f.status, toStatus: to, at, actor, note });
    ctx.append(
      'feedback.update@1',
      { feedbackId: f.id, action, status: to, assignee: next.assignee, resolution: next.resolution, note, at },
      f.id,
    );
    ctx.emit('feedback.changed', { feedbackId: f.id });
    return next;
  }

  return {
    view,
    create(input: ParsedInput<'feedback.create'>, caller: Caller): Feedback {
      return commands.run(input.mutationId, 'feedback.create', (ctx) => {
        if (input.applicantId && !deps.applicants.byId(input.applicantId)) {
          throw refuse('NOT_FOUND', 'UNKNOWN_APPLICANT', 'no such applicant');
        }
        const relatedCase = input.caseId ? deps.cases.byId(input.caseId) : undefined;
        if (input.caseId && !relatedCase) throw refuse('NOT_FOUND', 'UNKNOWN_CASE', 'no such case');
        // A complaint about a case is the applicant's about their own case, never about someone else's.
        if (relatedCase && input.applicantId && relatedCase.applicantId !== input.applicantId) {
          throw refuse('CONFLICT', 'CASE_NOT_APPLICANTS', 'the case belongs to another applicant');
        }
        if (input.departmentId && !catalog.department(input.departmentId)) {
          throw refuse('NOT_FOUND', 'UNKNOWN_DEPARTMENT', `no department "${input.departmentId}"`);
        }
        const day = today();
        if (input.dueDate && input.dueDate < day) {
          throw refuse('INVALID_INPUT', 'DUE_DATE_IN_PAST', 'the due date must not be in the past');
        }
        const f = insert(
          ctx,
          {
            kind: input.kind,
            channel: input.channel,
            category: input.category,
            status: input.assignee ? 'assigned' : 'open',
            content: input.content,
            applicantId: input.applicantId ?? null,
            contactName: input.contactName ?? null,
            contactPhone: input.contactPhone ?? null,
            caseId: input.caseId ?? null,
            departmentId: input.departmentId ?? relatedCase?.departmentId ?? null,
            ratingId: null,
            assignee: input.assignee ?? null,
            resolution: null,
            dueDate: input.dueDate ?? catalog.addWorkingDays(day, FEEDBACK_DUE_WORKING_DAYS[input.kind]),
          },
          caller.origin,
        );
        return view(f, day);
      });
    },

    /**
     * The rectification (整改) a bad review opens, in the rating's transaction, with its return visit due
     * when the rectification is: the rating screen promises the citizen one, so it is tracked from the start.
     */
    openRectification(
      ctx: CommandContext,
      rating: Pick<Rating, 'id' | 'level' | 'reasons' | 'comment'>,
      visit: VisitRecord,
      actor: string,
    ) {
      if (rating.level > BAD_RATING_MAX) return null;
      const firstCase = deps.cases.idsOfVisit(visit.id).map((id) => deps.cases.byId(id)!)[0];

      const rectification = insert(
        ctx,
        {
          kind: 'complaint',
          channel: 'rating',
          category: RECTIFICATION_CATEGORY[rating.reasons[0] ?? 'other'],
          status: 'open',
          // The citizen's own words; level and reasons are the rating's, named by each page in its language.
          content: rating.comment.trim() || `差评 ${rating.level}/5`,
          applicantId: visit.applicantId,
          contactName: null,
          contactPhone: null,
          caseId: firstCase?.id ?? null,
          departmentId: firstCase?.departmentId ?? null,
          ratingId: rating.id,
          assignee: null,
          resolution: null,
          dueDate: catalog.addWorkingDays(today(), FEEDBACK_DUE_WORKING_DAYS.complaint),
        },
        actor,
      );
      appendReturnVisit(ctx, rectification.id, rectification.dueDate, RECTIFICATION_RETURN_VISIT_METHOD);
      return rectification;
    },

    update(input: ParsedInput<'feedback.update'>, caller: Caller): Feedback {
      return commands.run(input.mutationId, 'feedback.update', (ctx) => {
        const f = itemOrThrow(input.feedbackId);
        mayHandle(f, caller);
        switch (input.action) {
          case 'assign':
            return view(change(ctx, f, 'assign', { assignee: input.assignee }, caller.origin, null));
          case 'resolve':
            if (!input.resolution) throw refuse('INVALID_INPUT', 'RESOLUTION_REQUIRED', 'say how it was resolved');
            return view(change(ctx, f, 'resolve', { resolution: input.resolution }, caller.origin, null));
          case 'close':
            return view(change(ctx, f, 'close', {}, caller.origin, null));
          case 'reopen':
            if (!input.reason) throw refuse('INVALID_INPUT', 'REOPEN_REASON_REQUIRED', 'say why it is reopened');
            return view(change(ctx, f, 'reopen', {}, caller.origin, input.reason));
        }
      });
    },

    /**
     * Central's status of an item this device filed: the department it went to, its deadline, the
     * department's answer (as the resolution) and how close it is to the deadline. Central decides the
     * status from here on, so it is taken as sent, with an event when it changed. Undefined for an item
     * of another device. A row older than the one applied last is stale: a CONFLICT (STALE_FEEDBACK_STATUS)
     * that writes nothing. A department this device has not heard of yet leaves the item's department as it was.
     */
    applyCentralStatus(s: CentralFeedbackStatus): Feedback | undefined {
      return commands.atomic((ctx) => {
        const f = store.byId(s.feedbackId);
        if (!f) return undefined;
        const last = store.central(f.id)?.centralAt;
        if (last && Date.parse(s.at) < Date.parse(last)) {
          throw new AppError('CONFLICT', `a status of ${s.at} is older than the one applied (${last})`, {
            reason: 'STALE_FEEDBACK_STATUS',
          });
        }
        const department = s.departmentId ? catalog.department(s.departmentId) : undefined;
        const departmentId = department?.id ?? f.departmentId;
        const next: FeedbackRecord = {
          ...f,
          status: s.status,
          departmentId,
          dueDate: s.dueDate,
          // Assigned at central means to a department: its name stands for the assignee the hall's form asks for.
          assignee:
            s.status === 'assigned' ? (f.assignee ?? department?.nameZh ?? s.departmentId ?? 'central') : f.assignee,
          resolution: s.answer ?? f.resolution,
          updatedAt: now().toISOString(),
        };
        store.applyCentral({ ...next, escalation: s.escalation, centralAt: s.at });
        if (s.status !== f.status) {
          store.insertEvent({
            feedbackId: f.id,
            action: 'central',
            fromStatus: f.status,
            toStatus: s.status,
            at: s.at,
            actor: 'central',
            note: s.status === 'resolved' ? s.answer : null,
          });
        }
        ctx.emit('feedback.changed', { feedbackId: f.id });
        return view(next);
      });
    },

    /** A clerk's list never shows a bad rating's rectification: that is the supervisors' (and never about them). */
    list(filter: ParsedInput<'feedback.list'>, caller: Caller): Feedback[] {
      const day = today();
      return store
        .list({
          kind: filter.kind,
          status: filter.status,
          overdueBefore: filter.overdueOnly ? day : undefined,
          withoutRatings: !mayFollowUpRatings(caller),
          limit: filter.limit,
        })
        .map((f) => view(f, day));
    },

    scheduleReturnVisit(input: ParsedInput<'feedback.returnVisit.schedule'>, caller: Caller): Feedback {
      return commands.run(input.mutationId, 'feedback.returnVisit.schedule', (ctx) => {
        const f = itemOrThrow(input.feedbackId);
        mayHandle(f, caller);
        if (f.status === 'closed') throw refuse('CONFLICT', 'FEEDBACK_CLOSED', 'the item is closed');
        if (input.scheduledFor < today()) {
          throw refuse('INVALID_INPUT', 'DATE_IN_PAST', 'a return visit cannot be scheduled in the past');
        }
        appendReturnVisit(ctx, f.id, input.scheduledFor, input.method);
        return view(f);
      });
    },

    /** Records a return visit of an answered item; a dissatisfied citizen reopens it. */
    recordReturnVisit(input: ParsedInput<'feedback.returnVisit.record'>, caller: Caller): Feedback {
      return commands.run(input.mutationId, 'feedback.returnVisit.record', (ctx) => {
        const rv = store.returnVisit(input.returnVisitId);
        if (!rv) throw refuse('NOT_FOUND', 'UNKNOWN_RETURN_VISIT', 'no such return visit');
        const item = itemOrThrow(rv.feedbackId);
        mayHandle(item, caller);
        if (rv.doneAt) throw refuse('CONFLICT', 'ALREADY_RECORDED', 'this return visit is already recorded');
        if (!ANSWERED_FEEDBACK_STATUSES.includes(item.status)) {
          throw refuse('CONFLICT', 'NOT_RESOLVED', 'a return visit asks about the answer: resolve the item first');
        }
        const doneAt = now().toISOString();
        store.recordReturnVisit({ id: rv.id, outcome: input.outcome, note: input.note, doneAt });
        ctx.append(
          'feedback.returnVisit.record@1',
          { returnVisitId: rv.id, feedbackId: rv.feedbackId, outcome: input.outcome, note: input.note, doneAt },
          rv.feedbackId,
        );
        const f =
          input.outcome === 'dissatisfied'
            ? change(ctx, item, 'reopen', {}, caller.origin, `回访不满意: ${input.note}`)
            : item;
        ctx.emit('feedback.changed', { feedbackId: f.id });
        return view(f);
      });
    },
  };
}
export type FeedbackService = ReturnType<typeof createFeedbackService>;
