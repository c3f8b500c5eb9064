import { z } from 'zod';
import { defineEvent, defineMethod } from '../define';
import { BAD_RATING_MAX, RATING_LEVELS, RATING_REASONS } from '../../intake/rating-scale';
import { multiLine, phoneNumber, singleLine } from '../../validation/text';
import { isoDate } from './intake';

const uuid = z.uuid();
const mutationId = uuid;
const id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'is not an id' });

// ---------------------------------------------------------------- complaints, suggestions, enquiries

export const FEEDBACK_KINDS = ['complaint', 'suggestion', 'enquiry'] as const;
/** `rating`: opened by a bad review (不满意 / 非常不满意) as its rectification follow-up (整改). */
export const FEEDBACK_CHANNELS = ['counter', 'phone', 'web', 'letter', 'rating'] as const;
export const FEEDBACK_CATEGORIES = [
  'attitude',
  'efficiency',
  'materials',
  'fees',
  'process',
  'system',
  'environment',
  'other',
] as const;
/** open → assigned → resolved → closed; a resolved item may be reopened (the return visit was not satisfied). */
export const FEEDBACK_STATUSES = ['open', 'assigned', 'resolved', 'closed'] as const;
export const RETURN_VISIT_METHODS = ['phone', 'sms', 'visit'] as const;
export const RETURN_VISIT_OUTCOMES = ['satisfied', 'basically_satisfied', 'dissatisfied', 'unreachable'] as const;

export const returnVisitSchema = z.object({
  id: uuid,
  feedbackId: uuid,
  scheduledFor: isoDate,
  method: z.enum(RETURN_VISIT_METHODS),
  outcome: z.enum(RETURN_VISIT_OUTCOMES).nullable(),
  note: z.string().nullable(),
  doneAt: z.string().nullable(),
  overdue: z.boolean(),
});
export type ReturnVisit = z.infer<typeof returnVisitSchema>;

// The 好差评 scale is part of this contract; it lives where a page can show it without these schemas.
export { BAD_RATING_MAX, RATING_LEVELS, RATING_REASONS };

export const feedbackSchema = z.object({
  id: uuid,
  /** FK-{hallCode}-{yyyymmdd}-{deviceCode}-{seq4}: quoted on the phone and on letters. */
  number: z.string(),
  kind: z.enum(FEEDBACK_KINDS),
  channel: z.enum(FEEDBACK_CHANNELS),
  category: z.enum(FEEDBACK_CATEGORIES),
  status: z.enum(FEEDBACK_STATUSES),
  content: z.string(),
  applicantId: uuid.nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  caseId: uuid.nullable(),
  departmentId: z.string().nullable(),
  ratingId: uuid.nullable(),
  /** A bad rating's rectification: the clerk it rates (who may not handle it). Null for other items. */
  ratedClerk: z.object({ staffId: z.string().nullable(), name: z.string() }).nullable(),
  /** A bad rating's rectification: the level and reasons the citizen chose, for the pages to name. */
  rating: z.object({ level: z.number().int().min(1).max(5), reasons: z.array(z.enum(RATING_REASONS)) }).nullable(),
  assignee: z.string().nullable(),
  resolution: z.string().nullable(),
  dueDate: isoDate,
  overdue: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  returnVisits: z.array(returnVisitSchema),
});
export type Feedback = z.infer<typeof feedbackSchema>;

// ---------------------------------------------------------------- ratings (好差评)

export const ratingRequestSchema = z.object({
  visitId: uuid,
  counterId: z.string(),
  counterNumber: z.number().int().nullable(),
  clerkName: z.string(),
  ticketNumber: z.string().nullable(),
  matterNamesZh: z.array(z.string()),
  requestedAt: z.string(),
  /** After this instant the token is refused and the visit is recorded as not rated. */
  expiresAt: z.string(),
});
export type RatingRequest = z.infer<typeof ratingRequestSchema>;

/**
 * What only the rating screen paired with the visit's counter receives: the request with its one-time
 * token (the citizen's rating needs it, once, before `expiresAt`).
 */
export const ratingPromptSchema = ratingRequestSchema.extend({ token: z.string() });
export type RatingPrompt = z.infer<typeof ratingPromptSchema>;

/** A rated clerk's appeal (申诉) against a rating: filed by them, decided by a supervisor with a reason. */
export const RATING_APPEAL_DECISIONS = ['upheld', 'rejected'] as const;
export const ratingAppealSchema = z.object({
  id: uuid,
  ratingId: uuid,
  reason: z.string(),
  filedBy: z.string(),
  filedAt: z.string(),
  status: z.enum(['filed', ...RATING_APPEAL_DECISIONS]),
  decidedBy: z.string().nullable(),
  decisionReason: z.string().nullable(),
  decidedAt: z.string().nullable(),
});
export type RatingAppeal = z.infer<typeof ratingAppealSchema>;

export const ratingSchema = z.object({
  id: uuid,
  visitId: uuid,
  level: z.number().int().min(1).max(5),
  reasons: z.array(z.enum(RATING_REASONS)),
  comment: z.string(),
  at: z.string(),
  /** The rectification follow-up a bad review opened, else null. */
  rectificationId: uuid.nullable(),
  counterId: z.string(),
  /** The rated clerk (staff id; null for a visit from before accounts) and their name as the visit recorded it. */
  clerkStaffId: z.string().nullable(),
  clerkName: z.string(),
  appeal: ratingAppealSchema.nullable(),
  /** False once an appeal was upheld: the record stays, the clerk's figures leave it out. */
  counted: z.boolean(),
});
export type Rating = z.infer<typeof ratingSchema>;

/** An 8-digit pairing code: typed on the rating screen's touch keys, one use, a few minutes. */
export const pairingCodeSchema = z.string().regex(/^\d{8}$/, { message: 'must be 8 digits' });
/** A rating screen's durable token (base64url of 32 random bytes). */
const screenToken = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, { message: 'is not a screen token' });

const feedbackCreateSchema = z
  .object({
    mutationId,
    kind: z.enum(FEEDBACK_KINDS),
    channel: z.enum(FEEDBACK_CHANNELS).exclude(['rating']),
    category: z.enum(FEEDBACK_CATEGORIES),
    content: multiLine(2000).pipe(z.string().min(1, { message: 'must not be empty' })),
    applicantId: uuid.optional(),
    contactName: singleLine(50).optional(),
    contactPhone: phoneNumber.optional(),
    caseId: uuid.optional(),
    departmentId: id.optional(),
    assignee: singleLine(50).optional(),
    /** Defaults by kind: complaint 5, enquiry 1, suggestion 10 working days. */
    dueDate: isoDate.optional(),
  })
  .strict();

export const feedbackMethods = {
  'feedback.create': defineMethod({
    description: 'Log a complaint, suggestion or enquiry (投诉/建议/咨询) with its due date.',
    input: feedbackCreateSchema,
    output: feedbackSchema,
  }),
  'feedback.update': defineMethod({
    description: 'Assign, resolve (with the resolution), close or reopen a feedback item.',
    input: z.discriminatedUnion('action', [
      z.object({ mutationId, feedbackId: uuid, action: z.literal('assign'), assignee: singleLine(50) }).strict(),
      z.object({ mutationId, feedbackId: uuid, action: z.literal('resolve'), resolution: multiLine(2000) }).strict(),
      z.object({ mutationId, feedbackId: uuid, action: z.literal('close') }).strict(),
      z.object({ mutationId, feedbackId: uuid, action: z.literal('reopen'), reason: multiLine(500) }).strict(),
    ]),
    output: feedbackSchema,
  }),
  'feedback.list': defineMethod({
    description: 'Feedback items, newest first; overdueOnly lists open items past their due date or return visit.',
    input: z
      .object({
        kind: z.enum(FEEDBACK_KINDS).optional(),
        status: z.enum(FEEDBACK_STATUSES).optional(),
        overdueOnly: z.boolean().default(false),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: z.array(feedbackSchema),
  }),
  'feedback.returnVisit.schedule': defineMethod({
    description: 'Schedule a return visit (回访) of a feedback item.',
    input: z
      .object({ mutationId, feedbackId: uuid, scheduledFor: isoDate, method: z.enum(RETURN_VISIT_METHODS) })
      .strict(),
    output: feedbackSchema,
  }),
  'feedback.returnVisit.record': defineMethod({
    description: 'Record the outcome of a return visit; a dissatisfied outcome reopens the item.',
    input: z
      .object({
        mutationId,
        returnVisitId: uuid,
        outcome: z.enum(RETURN_VISIT_OUTCOMES),
        note: multiLine(1000),
      })
      .strict(),
    output: feedbackSchema,
  }),
  'rating.pairing.code': defineMethod({
    description: 'The clerk signed in at this counter shows a pairing code (8 digits, one use) for its rating screen.',
    input: z.object({ counterId: id }).strict(),
    output: z.object({ code: pairingCodeSchema, counterId: z.string(), expiresAt: z.string() }),
  }),
  'rating.pair': defineMethod({
    description:
      'A rating screen pairs with a counter by the code shown there; the previous screen of that counter is ' +
      'unpaired. The token it gets back is its identity from then on.',
    input: z.object({ code: pairingCodeSchema }).strict(),
    output: z.object({ token: screenToken, counterId: z.string(), counterNumber: z.number().int().nullable() }),
  }),
  'rating.screen': defineMethod({
    description:
      'Whether this rating screen is paired, and with which counter; with its token, binds this window to it.',
    input: z.object({ token: screenToken.optional() }).strict(),
    output: z.object({
      paired: z.boolean(),
      counterId: z.string().nullable(),
      counterNumber: z.number().int().nullable(),
    }),
  }),
  'rating.request': defineMethod({
    description:
      'After serving a ticket at this counter, issue a one-time rating token for that visit to the paired screen.',
    input: z.object({ mutationId, counterId: id, ticketId: uuid, caseIds: z.array(uuid).max(20) }).strict(),
    output: ratingRequestSchema,
  }),
  'rating.pending': defineMethod({
    description: 'The rating request (with its token) this paired screen’s counter is waiting for, if any.',
    input: z.object({}).strict(),
    output: ratingPromptSchema.nullable(),
  }),
  'rating.submit': defineMethod({
    description:
      'The citizen’s rating with the one-time token of the visit; levels 1–2 need a reason and open a rectification.',
    input: z
      .object({
        mutationId,
        token: z.string().min(1).max(100),
        level: z.number().int().min(1).max(5),
        reasons: z.array(z.enum(RATING_REASONS)).max(RATING_REASONS.length).default([]),
        comment: multiLine(500).default(''),
      })
      .strict()
      .refine((r) => r.level > BAD_RATING_MAX || r.reasons.length > 0 || r.comment.length > 0, {
        message: 'a bad review needs a reason',
        path: ['reasons'],
      }),
    output: ratingSchema,
  }),
  'rating.list': defineMethod({
    description:
      'Ratings of this device, newest first, with their rectification and appeal; a clerk sees their own only.',
    input: z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.array(ratingSchema),
  }),
  'rating.appeal.file': defineMethod({
    description: 'The rated clerk appeals (申诉) a rating of theirs, with a reason.',
    input: z.object({ mutationId, ratingId: uuid, reason: multiLine(1000).pipe(z.string().min(1)) }).strict(),
    output: ratingAppealSchema,
  }),
  'rating.appeal.decide': defineMethod({
    description:
      'A supervisor (not the rated clerk) upholds or rejects an appeal with a reason; upheld takes the rating ' +
      'out of the clerk’s figures and keeps the record.',
    input: z
      .object({
        mutationId,
        appealId: uuid,
        decision: z.enum(RATING_APPEAL_DECISIONS),
        reason: multiLine(1000).pipe(z.string().min(1)),
      })
      .strict(),
    output: ratingAppealSchema,
  }),
};

export const feedbackEvents = {
  'rating.requested': defineEvent({
    description: 'A counter asks for a rating: delivered with its token only to the screen paired with that counter.',
    payload: ratingPromptSchema,
  }),
  'rating.submitted': defineEvent({
    description: 'A visit was rated (the counter shows the thanks and closes the prompt).',
    payload: z.object({ visitId: uuid, counterId: z.string(), level: z.number().int() }),
  }),
  'feedback.changed': defineEvent({
    description: 'A feedback item was created or changed: lists re-fetch.',
    payload: z.object({ feedbackId: uuid }),
  }),
};
