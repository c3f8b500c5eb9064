import crypto from 'node:crypto';
import {
  AppError,
  type ParsedInput,
  type Rating,
  type RatingAppeal,
  type RatingPrompt,
  type RatingRequest,
} from '@shared/api';
import { hallDay } from '@shared/queue/hall-day';
import type { Caller, DeviceBinding } from '../api/caller';
import type { AuditInput } from '../identity/audit-log';
import type { CaseStore } from '../store/case-store';
import type { RatingScreenStore } from '../store/rating-screen-store';
import type { RatingStore } from '../store/rating-store';
import type { VisitRecord, VisitStore } from '../store/visit-store';
import { mayFollowUpRatings, type FeedbackService } from './feedback-service';
import type { CommandContext, CommandRunner } from './intake-command';
import { counterVisit, type QueueLookups } from './queue-lookups';

type RefusalCode = 'CONFLICT' | 'NOT_FOUND' | 'FORBIDDEN';
const refuse = (code: RefusalCode, reason: string, message: string) => new AppError(code, message, { reason });

/** A pairing code is shown on the counter for this long, and used once. */
export const PAIRING_CODE_MS = 5 * 60_000;
/** Wrong codes tried (by any screen) before every code shown is void: 8 digits must not be guessable. */
export const PAIRING_MAX_FAILURES = 20;
/** Only a ticket served at the counter may be rated: in service there, or finished there. */
const RATEABLE_TICKET_STATES = ['serving', 'done'];

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const newToken = () => crypto.randomBytes(32).toString('base64url');

interface PairingCode {
  counterId: string;
  counterNumber: number | null;
  staffId: string;
  login: string;
  expiresAt: number;
}

/**
 * Ratings (好差评) only the citizen gives. This core owns the visit (the counter PC's own database), so it
 * is the "hub" that issues the rating token: the counter's rating screen is paired with the counter by a
 * code the clerk shows; when a service ends the clerk asks for the rating, and a one-time token for that
 * visit goes to the paired screen only. A rating needs that token, once, before it expires; a request
 * that runs out makes the visit "not rated", never a default grade. The rated clerk may appeal; a
 * supervisor who is not them decides.
 */
const SCREEN_BINDING_PREFIX = 'rate-screen-';

export function createRatingService(deps: {
  store: RatingStore;
  screens: RatingScreenStore;
  visits: VisitStore;
  cases: CaseStore;
  feedback: FeedbackService;
  commands: CommandRunner;
  queue: QueueLookups;
  audit: { record(input: AuditInput): void };
  tokenMinutes: number;
  now: () => Date;
}) {
  const { store, screens, visits, cases, commands, queue, now } = deps;
  /** Codes shown on counters, by code: in memory only (a restart voids them; the clerk shows a new one). */
  const codes = new Map<string, PairingCode>();
  let failures = 0;
  /**
   * The live token of each pending visit and the screen paired when it was issued, in memory only (the
   * database keeps its hash): so that screen, reloaded, gets it again from `rating.pending`, and a screen
   * paired later (a new tablet, another clerk's) never gets the earlier citizen's prompt. After a restart
   * the clerk asks again.
   */
  const liveTokens = new Map<string, { token: string; screenId: string | null }>();
  /** Windows (IPC origins) bound to a screen by presenting its token: origin → screen id. */
  const boundOrigins = new Map<string, string>();

  function requestOf(v: VisitRecord, expiresAt: string): RatingRequest {
    return {
      visitId: v.id,
      counterId: v.counterId,
      counterNumber: v.counterNumber,
      clerkName: v.clerkName,
      ticketNumber: v.ticketNumber,
      matterNamesZh: cases.idsOfVisit(v.id).map((id) => cases.byId(id)!.matterNameZh),
      requestedAt: v.ratingRequestedAt ?? v.startedAt,
      expiresAt,
    };
  }

  function notRated(ctx: CommandContext, visitId: string, at: string) {
    screens.endTokensOfVisit(visitId, at);
    liveTokens.delete(visitId);
    if (visits.markNotRated(visitId, at)) ctx.append('rating.notRated@1', { visitId, at }, visitId);
  }

  /** Every pending request whose token ran out becomes "not rated" (on a timer, and before each rating call). */
  function sweep(): number {
    const at = now().toISOString();
    if (screens.expiredPending(at).length === 0) return 0;
    return commands.atomic((ctx) => {
      const expired = screens.expiredPending(at);
      for (const visitId of expired) notRated(ctx, visitId, at);
      return expired.length;
    });
  }

  function bindingOf(screenId: string): DeviceBinding | undefined {
    const screen = screens.screenById(screenId);
    if (!screen || screen.revokedAt) return undefined;
    return {
      id: `${SCREEN_BINDING_PREFIX}${screen.id}`,
      counterIds: null,
      delegated: false,
      pairedCounterId: screen.counterId,
    };
  }
  function screenOf(token: string) {
    const screen = screens.screenByHash(sha256(token));
    return screen && !screen.revokedAt ? screen : undefined;
  }
  const pairedCounter = (caller: Caller): string => {
    const counterId = caller.device?.pairedCounterId;
    if (!counterId) throw refuse('FORBIDDEN', 'NOT_PAIRED', 'pair this screen with a counter first');
    return counterId;
  };

  return {
    sweep,

    /**
     * The binding of a paired screen's token (the browser host answers bearer tokens with it), or of a
     * window that presented it (`rating.screen`); undefined when unknown or revoked.
     */
    screenBinding(token: string): DeviceBinding | undefined {
      const screen = screenOf(token);
      return screen && bindingOf(screen.id);
    },
    originBinding(origin: string): DeviceBinding | undefined {
      const id = boundOrigins.get(origin);
      return id === undefined ? undefined : bindingOf(id);
    },

    /** The clerk signed in at this counter shows a code for its rating screen; a newer code replaces theirs. */
    async pairingCode(input: ParsedInput<'rating.pairing.code'>, caller: Caller) {
      const person = caller.person;
      if (!person || person.counterId !== input.counterId) {
        throw refuse(
          'FORBIDDEN',
          'NOT_AT_THIS_COUNTER',
          'only the clerk signed in at this counter may pair its screen',
        );
      }
      // Also asks the queue (maybe the hub) that this clerk holds the counter now.
      const counter = await queue.counter(input.counterId, caller);
      for (const [code, c] of codes)
        if (c.counterId === input.counterId || c.expiresAt <= now().getTime()) codes.delete(code);
      let code: string;
      do code = String(crypto.randomInt(0, 100_000_000)).padStart(8, '0');
      while (codes.has(code));
      const expiresAt = now().getTime() + PAIRING_CODE_MS;
      codes.set(code, {
        counterId: input.counterId,
        counterNumber: counter.counter.number,
        staffId: person.staffId,
        login: person.login,
        expiresAt,
      });
      return { code, counterId: input.counterId, expiresAt: new Date(expiresAt).toISOString() };
    },

    /** A screen pairs by the code: it gets a durable token; the counter's previous screen is unpaired. */
    pair(input: ParsedInput<'rating.pair'>, caller: Caller) {
      const found = codes.get(input.code);
      if (!found || found.expiresAt <= now().getTime()) {
        if (found) codes.delete(input.code);
        failures += 1;
        if (failures >= PAIRING_MAX_FAILURES) {
          codes.clear();
          failures = 0;
        }
        throw refuse('FORBIDDEN', 'PAIRING_CODE_INVALID', 'this pairing code is wrong or has expired');
      }
      codes.delete(input.code);
      failures = 0;
      const token = newToken();
      const screen = {
        id: crypto.randomUUID(),
        tokenHash: sha256(token),
        counterId: found.counterId,
        pairedBy: found.staffId,
        createdAt: now().toISOString(),
        revokedAt: null,
      };
      commands.atomic(() => {
        const previous = screens.liveOfCounter(found.counterId);
        screens.replaceScreen(screen);
        deps.audit.record({
          action: 'rating_screen_paired',
          actorStaffId: found.staffId,
          actorLogin: found.login,
          origin: caller.origin,
          target: found.counterId,
          outcome: 'ok',
          detail: { screenId: screen.id, replaced: previous?.id ?? null },
        });
      });
      // A window (IPC) has no bearer: it is bound by its origin; a browser page uses the token as its bearer.
      if (!caller.device) boundOrigins.set(caller.origin, screen.id);
      return { token, counterId: found.counterId, counterNumber: found.counterNumber };
    },

    /** Whether this screen is paired; a window presenting its token is bound to its screen from then on. */
    screen(input: ParsedInput<'rating.screen'>, caller: Caller) {
      let binding = caller.device;
      if (!binding && input.token) {
        const screen = screenOf(input.token);
        if (screen) {
          boundOrigins.set(caller.origin, screen.id);
          binding = bindingOf(screen.id);
        }
      }
      const counterId = binding?.pairedCounterId ?? null;
      return { paired: counterId !== null, counterId, counterNumber: null };
    },

    /** Issues the one-time token of a visit served at this counter to the counter's paired screen. */
    async request(input: ParsedInput<'rating.request'>, caller: Caller): Promise<RatingRequest> {
      const done = commands.replay<RatingRequest>(input.mutationId, 'rating.request');
      if (done) return done;
      const { counter, ticket } = await counterVisit(queue, input.counterId, input.ticketId, caller);
      if (!ticket || !RATEABLE_TICKET_STATES.includes(ticket.state) || ticket.counterId !== input.counterId) {
        throw refuse('CONFLICT', 'TICKET_NOT_SERVED_HERE', 'only a ticket served at this counter can be rated');
      }
      sweep();
      let issued: { visitId: string; token: string; screenId: string | null } | undefined;
      const request = commands.run(input.mutationId, 'rating.request', (ctx) => {
        const at = now();
        const atIso = at.toISOString();
        const caseVisits = input.caseIds.map((id) => {
          const c = cases.byId(id);
          if (!c) throw refuse('NOT_FOUND', 'UNKNOWN_CASE', 'no such case');
          return c.visitId;
        });
        let visit = visits.byTicket(ticket.id);
        if (caseVisits.some((v) => v !== visit?.id)) {
          throw refuse('CONFLICT', 'CASES_OF_OTHER_VISIT', 'these cases were not taken in this visit');
        }
        if (!visit) {
          visit = {
            id: crypto.randomUUID(),
            counterId: counter.counter.id,
            counterNumber: counter.counter.number,
            clerkName: counter.counter.clerkName ?? '',
            ticketId: ticket.id,
            ticketNumber: ticket.number,
            hallDay: hallDay(at, counter.settings.timeZone, counter.settings.resetTime),
            applicantId: null,
            startedAt: atIso,
            ratingStatus: 'none',
            ratingRequestedAt: null,
            clerkStaffId: caller.person?.staffId ?? counter.counter.clerkId,
          };
          visits.insert(visit);
          const {
            ratingStatus: _s,
            ratingRequestedAt: _r,
            clerkStaffId: _c,
            notRatedAt: _n,
            id: visitId,
            ...rest
          } = visit;
          ctx.append('visit.record@1', { visitId, ...rest }, visitId);
        }
        if (visit.counterId !== input.counterId) {
          throw refuse('CONFLICT', 'VISIT_OF_OTHER_COUNTER', 'this visit was served at another counter');
        }
        if (visit.ratingStatus === 'rated') throw refuse('CONFLICT', 'ALREADY_RATED', 'this visit is already rated');
        if (visit.notRatedAt) {
          throw refuse('CONFLICT', 'RATING_CLOSED', 'this visit was recorded as not rated: its time to rate is over');
        }
        // The counter's earlier unrated prompt ends here: that visit stays "not rated".
        const earlier = visits.pendingAt(input.counterId);
        if (earlier && earlier.id !== visit.id) notRated(ctx, earlier.id, atIso);
        screens.endTokensOfVisit(visit.id, atIso);
        visits.requestRating(visit.id, input.counterId, atIso);
        const token = newToken();
        const expiresAt = new Date(at.getTime() + deps.tokenMinutes * 60_000).toISOString();
        screens.insertToken({
          tokenHash: sha256(token),
          visitId: visit.id,
          counterId: input.counterId,
          createdAt: atIso,
          expiresAt,
        });
        issued = { visitId: visit.id, token, screenId: screens.liveOfCounter(input.counterId)?.id ?? null };
        const req = requestOf(visits.byId(visit.id)!, expiresAt);
        // The token travels in the event only: the transports deliver it to this counter's paired screen.
        ctx.emit('rating.requested', { ...req, token });
        return req;
      });
      if (issued) liveTokens.set(issued.visitId, { token: issued.token, screenId: issued.screenId });
      return request;
    },

    /** The request (with its token) the paired screen's counter waits for; never another counter's. */
    pending(caller: Caller): RatingPrompt | null {
      const counterId = pairedCounter(caller);
      sweep();
      const v = visits.pendingAt(counterId);
      const live = v && liveTokens.get(v.id);
      if (!v || !live || live.screenId !== caller.device!.id.slice(SCREEN_BINDING_PREFIX.length)) return null;
      const t = screens.tokenByHash(sha256(live.token));
      if (!t || t.usedAt || t.expiresAt <= now().toISOString()) return null;
      return { ...requestOf(v, t.expiresAt), token: live.token };
    },

    /** The citizen's rating: with the visit's token, from the screen paired with that visit's counter, once. */
    submit(input: ParsedInput<'rating.submit'>, caller: Caller): Rating {
      const counterId = pairedCounter(caller);
      const replayed = commands.replay<Rating>(input.mutationId, 'rating.submit');
      if (replayed) return replayed;
      sweep();
      const rating = commands.run(input.mutationId, 'rating.submit', (ctx) => {
        const at = now().toISOString();
        const t = screens.tokenByHash(sha256(input.token));
        if (!t || t.counterId !== counterId) {
          throw refuse('FORBIDDEN', 'RATING_TOKEN_INVALID', 'this rating token is not valid on this screen');
        }
        if (t.usedAt) throw refuse('CONFLICT', 'RATING_TOKEN_USED', 'this rating token was already used');
        if (t.expiresAt <= at) throw refuse('CONFLICT', 'RATING_TOKEN_EXPIRED', 'the time to rate this visit is over');
        const visit = visits.byId(t.visitId)!;
        if (visit.ratingStatus === 'rated' || store.byVisit(visit.id)) {
          throw refuse('CONFLICT', 'RATING_TOKEN_USED', 'this visit is already rated');
        }
        screens.useToken(t.tokenHash, at);
        const fields = {
          id: crypto.randomUUID(),
          visitId: visit.id,
          level: input.level,
          reasons: input.reasons,
          comment: input.comment,
          at,
        };
        store.insert(fields);
        visits.markRated(visit.id);
        const { id: ratingId, ...args } = fields;
        ctx.append('rating.submit@1', { ratingId, ...args }, ratingId);
        deps.feedback.openRectification(ctx, fields, visit, caller.origin);
        ctx.emit('rating.submitted', { visitId: visit.id, counterId: visit.counterId, level: fields.level });
        return store.byId(fields.id)!;
      });
      liveTokens.delete(rating.visitId);
      return rating;
    },

    /** Supervisors and the hall administrator see every rating; a clerk, the ratings of their own visits. */
    list(limit: number, caller: Caller): Rating[] {
      sweep();
      if (mayFollowUpRatings(caller)) return store.list(limit);
      return caller.person ? store.listOfClerk(caller.person.staffId, limit) : [];
    },

    /** The rated clerk appeals (申诉) a rating of their own visit: once per rating. */
    fileAppeal(input: ParsedInput<'rating.appeal.file'>, caller: Caller): RatingAppeal {
      return commands.run(input.mutationId, 'rating.appeal.file', (ctx) => {
        const rating = store.byId(input.ratingId);
        if (!rating) throw refuse('NOT_FOUND', 'UNKNOWN_RATING', 'no such rating');
        const staffId = caller.person?.staffId;
        if (!staffId || rating.clerkStaffId !== staffId) {
          throw refuse('FORBIDDEN', 'ONLY_RATED_CLERK_MAY_APPEAL', 'only the rated clerk may appeal this rating');
        }
        if (rating.appeal) throw refuse('CONFLICT', 'ALREADY_APPEALED', 'this rating was already appealed');
        const appeal = { id: crypto.randomUUID(), ratingId: rating.id, reason: input.reason, filedBy: staffId };
        const at = now().toISOString();
        store.insertAppeal({ ...appeal, filedAt: at });
        const { id: appealId, ...args } = appeal;
        ctx.append('rating.appeal.file@1', { appealId, ...args, at }, rating.id);
        return store.appeal(appeal.id)!;
      });
    },

    /** A supervisor who is not the rated clerk upholds or rejects an appeal, with a reason. */
    decideAppeal(input: ParsedInput<'rating.appeal.decide'>, caller: Caller): RatingAppeal {
      return commands.run(input.mutationId, 'rating.appeal.decide', (ctx) => {
        const appeal = store.appeal(input.appealId);
        if (!appeal) throw refuse('NOT_FOUND', 'UNKNOWN_APPEAL', 'no such appeal');
        const rating = store.byId(appeal.ratingId)!;
        const staffId = caller.person?.staffId;
        if (!staffId || !mayFollowUpRatings(caller)) {
          throw refuse('FORBIDDEN', 'SUPERVISOR_REQUIRED', 'a supervisor decides appeals');
        }
        if (rating.clerkStaffId === staffId) {
          throw refuse('FORBIDDEN', 'RATED_CLERK_MAY_NOT_DECIDE', 'the rated clerk may not decide their own appeal');
        }
        const at = now().toISOString();
        if (!store.decideAppeal({ id: appeal.id, status: input.decision, by: staffId, reason: input.reason, at })) {
          throw refuse('CONFLICT', 'APPEAL_DECIDED', 'this appeal was already decided');
        }
        ctx.append(
          'rating.appeal.decide@1',
          {
            appealId: appeal.id,
            ratingId: rating.id,
            decision: input.decision,
            reason: input.reason,
            decidedBy: staffId,
            at,
          },
          rating.id,
        );
        return store.appeal(appeal.id)!;
      });
    },
  };
}
export type RatingService = ReturnType<typeof createRatingService>;
