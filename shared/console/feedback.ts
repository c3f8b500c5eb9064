import { z } from 'zod';
import {
  FEEDBACK_CATEGORIES,
  FEEDBACK_CHANNELS,
  FEEDBACK_KINDS,
  FEEDBACK_STATUSES,
  RATING_APPEAL_DECISIONS,
  RETURN_VISIT_METHODS,
  RETURN_VISIT_OUTCOMES,
} from '../api/methods/feedback';
import { isoDate } from '../api/methods/intake';
import { multiLine } from '../validation/text';
import { DUE_LEVELS } from './deadline';
import { pageQuerySchema } from './session';

/**
 * Supervision (督查): complaints, suggestions, enquiries and 差评 rectifications from every hall the person
 * may see. A department handler sees the items assigned to their departments; a supervisor those of their
 * halls; the leader's office and central administrators all (read: the overdue ones are theirs to chase).
 */
export const feedbackQueueQuerySchema = pageQuerySchema
  .extend({
    kind: z.enum(FEEDBACK_KINDS).optional(),
    status: z.enum(FEEDBACK_STATUSES).optional(),
    hallId: z.uuid().optional(),
    departmentId: z.string().max(40).optional(),
    due: z.enum(['due_soon', 'overdue']).optional(),
    /** Only 差评 rectifications (channel `rating`). */
    ratingOnly: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    /** A feedback number (or its start) or words of the content. */
    q: z.string().trim().max(60).optional(),
  })
  .strict();
export type FeedbackQueueQuery = z.infer<typeof feedbackQueueQuerySchema>;

export const feedbackQueueItemSchema = z.object({
  feedbackId: z.string(),
  number: z.string(),
  kind: z.enum(FEEDBACK_KINDS),
  channel: z.enum(FEEDBACK_CHANNELS),
  category: z.enum(FEEDBACK_CATEGORIES),
  status: z.enum(FEEDBACK_STATUSES),
  hallId: z.string(),
  hallName: z.string(),
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  /** The first line of the content, at most 80 characters. */
  summary: z.string(),
  createdAt: z.string(),
  dueDate: z.string(),
  daysLeft: z.number().int().nullable(),
  dueLevel: z.enum(DUE_LEVELS),
  /** A 差评: its level (1–2), else null. */
  ratingLevel: z.number().int().nullable(),
  version: z.number().int(),
});
export type FeedbackQueueItem = z.infer<typeof feedbackQueueItemSchema>;

export const feedbackQueuePageSchema = z.object({
  items: z.array(feedbackQueueItemSchema),
  total: z.number().int(),
  dueSoon: z.number().int(),
  overdue: z.number().int(),
});
export type FeedbackQueuePage = z.infer<typeof feedbackQueuePageSchema>;

export const feedbackDetailSchema = feedbackQueueItemSchema.extend({
  content: z.string(),
  /** 张** and 138****5678: who to call back, never in full at central. */
  contactMasked: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  caseNumber: z.string().nullable(),
  answer: z.string().nullable(),
  answeredAt: z.string().nullable(),
  answeredBy: z.string().nullable(),
  rating: z
    .object({
      level: z.number().int(),
      reasons: z.array(z.string()),
      comment: z.string(),
      at: z.string(),
      appeal: z
        .object({
          status: z.enum(['filed', ...RATING_APPEAL_DECISIONS]),
          reason: z.string(),
          decisionReason: z.string().nullable(),
        })
        .nullable(),
    })
    .nullable(),
  returnVisits: z.array(
    z.object({
      method: z.enum(RETURN_VISIT_METHODS),
      outcome: z.enum(RETURN_VISIT_OUTCOMES).nullable(),
      note: z.string().nullable(),
      doneAt: z.string().nullable(),
      byName: z.string().nullable(),
    }),
  ),
  history: z.array(
    z.object({
      at: z.string(),
      action: z.string(),
      fromStatus: z.enum(FEEDBACK_STATUSES).nullable(),
      toStatus: z.enum(FEEDBACK_STATUSES),
      actorName: z.string().nullable(),
      note: z.string().nullable(),
    }),
  ),
});
export type FeedbackDetail = z.infer<typeof feedbackDetailSchema>;

const note = multiLine(500);

/**
 * assign: a supervisor sends the item to a department with a deadline; answer: the department's reply
 * (→ resolved); return_visit: the supervisor's call-back (a dissatisfied one reopens the item); close:
 * after a return visit; reopen: the applicant calls back.
 */
export const feedbackActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('assign'), departmentId: z.string().min(1).max(40), dueDate: isoDate, note }).strict(),
  z
    .object({
      action: z.literal('answer'),
      answer: multiLine(2000).refine((s) => s.length > 0, { message: 'write the answer' }),
    })
    .strict(),
  z
    .object({
      action: z.literal('return_visit'),
      method: z.enum(RETURN_VISIT_METHODS),
      outcome: z.enum(RETURN_VISIT_OUTCOMES),
      note,
    })
    .strict(),
  z.object({ action: z.literal('close'), note }).strict(),
  z.object({ action: z.literal('reopen'), note: note.refine((s) => s.length > 0, { message: 'say why' }) }).strict(),
]);
export type FeedbackActionBody = z.infer<typeof feedbackActionSchema>;

export const feedbackActionInputSchema = z
  .object({ version: z.number().int().min(1), act: feedbackActionSchema })
  .strict();
export type FeedbackActionInput = z.infer<typeof feedbackActionInputSchema>;

/** 409 FEEDBACK_VERSION_CONFLICT / FEEDBACK_STATE_CONFLICT with the item as it is now. */
export const feedbackConflictSchema = z.object({
  code: z.enum(['FEEDBACK_VERSION_CONFLICT', 'FEEDBACK_STATE_CONFLICT']),
  message: z.string(),
  current: feedbackDetailSchema,
});

/** The 好差评 rules' figures for a hall (or all the person may see) over a date range. */
export const ratingFiguresQuerySchema = z
  .object({ hallId: z.uuid().optional(), from: isoDate, to: isoDate })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

export const ratingFiguresSchema = z.object({
  ratings: z.number().int(),
  bad: z.number().int(),
  /** 差评 whose rectification is closed (or whose appeal was upheld). */
  rectified: z.number().int(),
  /** 差评整改率 = rectified / bad; null when there is no 差评. */
  rectificationRate: z.number().nullable(),
  /** Feedback items that needed a return visit and got one. */
  revisitDue: z.number().int(),
  revisited: z.number().int(),
  /** 回访率 = revisited / revisitDue. */
  returnVisitRate: z.number().nullable(),
  /** 差评 from a known (实名) applicant, and of those the ones with a return visit. */
  namedBad: z.number().int(),
  namedBadRevisited: z.number().int(),
  /** 实名差评回访率 = namedBadRevisited / namedBad. */
  namedReturnVisitRate: z.number().nullable(),
  appealsFiled: z.number().int(),
  appealsUpheld: z.number().int(),
});
export type RatingFigures = z.infer<typeof ratingFiguresSchema>;

/** What the console's header and the hall dashboard chase: items due within a working day, and overdue. */
export const remindersSchema = z.object({
  casesDueSoon: z.number().int(),
  casesOverdue: z.number().int(),
  feedbackDueSoon: z.number().int(),
  feedbackOverdue: z.number().int(),
});
export type Reminders = z.infer<typeof remindersSchema>;
