import crypto from 'node:crypto';
import { AppError, type ParsedInput, type Rating, type RatingRequest } from '@shared/api';
import { hallDay } from '@shared/queue/hall-day';
import type { Caller } from '../api/caller';
import type { CaseStore } from '../store/case-store';
import type { RatingStore } from '../store/rating-store';
import type { VisitRecord, VisitStore } from '../store/visit-store';
import type { FeedbackService } from './feedback-service';
import type { CommandRunner } from './intake-command';
import { counterVisit, type QueueLookups } from './queue-lookups';

const refuse = (code: 'CONFLICT' | 'NOT_FOUND', reason: string, message: string) =>
  new AppError(code, message, { reason });

/** Ratings (好差评): one per visit, asked for on the counter's customer screen. */
export function createRatingService(deps: {
  store: RatingStore;
  visits: VisitStore;
  cases: CaseStore;
  feedback: FeedbackService;
  commands: CommandRunner;
  queue: QueueLookups;
  now: () => Date;
}) {
  const { store, visits, cases, commands, queue, now } = deps;

  function requestOf(v: VisitRecord): RatingRequest {
    return {
      visitId: v.id,
      counterId: v.counterId,
      counterNumber: v.counterNumber,
      clerkName: v.clerkName,
      ticketNumber: v.ticketNumber,
      matterNamesZh: cases.idsOfVisit(v.id).map((id) => cases.byId(id)!.matterNameZh),
      requestedAt: v.ratingRequestedAt ?? v.startedAt,
    };
  }

  return {
    /** Asks this counter's customer screen for the rating of the visit just finished; replaces an unrated earlier prompt. */
    async request(input: ParsedInput<'rating.request'>, caller: Caller): Promise<RatingRequest> {
      const done = commands.replay<RatingRequest>(input.mutationId, 'rating.request');
      if (done) return done;
      const { counter, ticket } = await counterVisit(queue, input.counterId, input.ticketId, caller);
      return commands.run(input.mutationId, 'rating.request', (ctx) => {
        const at = now();
        const caseVisits = input.caseIds.map((id) => {
          const c = cases.byId(id);
          if (!c) throw refuse('NOT_FOUND', 'UNKNOWN_CASE', 'no such case');
          return c.visitId;
        });
        let visit = (ticket && visits.byTicket(ticket.id)) || (caseVisits[0] ? visits.byId(caseVisits[0]) : undefined);
        if (visit && caseVisits.some((v) => v !== visit!.id)) {
          throw refuse('CONFLICT', 'CASES_OF_OTHER_VISIT', 'these cases were not taken in this visit');
        }
        if (!visit) {
          visit = {
            id: crypto.randomUUID(),
            counterId: counter.counter.id,
            counterNumber: counter.counter.number,
            clerkName: counter.counter.clerkName ?? '',
            ticketId: ticket?.id ?? null,
            ticketNumber: ticket?.number ?? null,
            hallDay: hallDay(at, counter.settings.timeZone, counter.settings.resetTime),
            applicantId: null,
            startedAt: at.toISOString(),
            ratingStatus: 'none',
            ratingRequestedAt: null,
          };
          visits.insert(visit);
          const { ratingStatus: _s, ratingRequestedAt: _r, id: visitId, ...rest } = visit;
          ctx.append('visit.record@1', { visitId, ...rest }, visitId);
        }
        if (visit.counterId !== input.counterId) {
          throw refuse('CONFLICT', 'VISIT_OF_OTHER_COUNTER', 'this visit was served at another counter');
        }
        if (visit.ratingStatus === 'rated') throw refuse('CONFLICT', 'ALREADY_RATED', 'this visit is already rated');
        visits.requestRating(visit.id, input.counterId, at.toISOString());
        const request = requestOf(visits.byId(visit.id)!);
        ctx.emit('rating.requested', request);
        return request;
      });
    },

    pending(counterId: string): RatingRequest | null {
      const v = visits.pendingAt(counterId);
      return v ? requestOf(v) : null;
    },

    /** The customer's rating: once per visit; a bad one (1–2) opens its rectification in the same transaction. */
    submit(input: ParsedInput<'rating.submit'>, caller: Caller): Rating {
      return commands.run(input.mutationId, 'rating.submit', (ctx) => {
        const visit = visits.byId(input.visitId);
        if (!visit) throw refuse('NOT_FOUND', 'UNKNOWN_VISIT', 'no such visit');
        if (visit.ratingStatus === 'rated' || store.byVisit(visit.id)) {
          throw refuse('CONFLICT', 'ALREADY_RATED', 'this visit is already rated');
        }
        if (visit.ratingStatus !== 'pending') {
          throw refuse('CONFLICT', 'RATING_NOT_REQUESTED', 'no rating was asked for this visit');
        }
        const rating = {
          id: crypto.randomUUID(),
          visitId: visit.id,
          level: input.level,
          reasons: input.reasons,
          comment: input.comment,
          at: now().toISOString(),
        };
        store.insert(rating);
        visits.markRated(visit.id);
        const { id: ratingId, ...args } = rating;
        ctx.append('rating.submit@1', { ratingId, ...args }, ratingId);
        const rectification = deps.feedback.openRectification(ctx, rating, visit, caller.origin);
        ctx.emit('rating.submitted', { visitId: visit.id, counterId: visit.counterId, level: rating.level });
        return { ...rating, rectificationId: rectification?.id ?? null };
      });
    },

    list: (limit: number): Rating[] => store.list(limit),
  };
}
export type RatingService = ReturnType<typeof createRatingService>;
