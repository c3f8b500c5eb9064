import { z } from 'zod';

/**
 * SMS notices central sends applicants (central/src/notices): the events, the placeholders their templates
 * may use, and the console's view of the dead letters.
 */
export const NOTICE_KINDS = [
  'case_accepted',
  'supplement_requested',
  'case_completed',
  'tolerance_due',
  'ticket_near',
  'ticket_called',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/**
 * The notices about a queue ticket (its holder opted in at the kiosk): worth something only within
 * minutes, so they are dropped, never deferred or kept for a retry once stale (central/src/notices).
 */
export const QUEUE_NOTICE_KINDS = ['ticket_near', 'ticket_called'] as const satisfies readonly NoticeKind[];
export const isQueueNoticeKind = (k: NoticeKind): k is (typeof QUEUE_NOTICE_KINDS)[number] =>
  (QUEUE_NOTICE_KINDS as readonly string[]).includes(k);

/** What a template may name as `{name}`; anything else in braces is left as written. */
export const NOTICE_PLACEHOLDERS = [
  'hallName',
  'caseNumber',
  'matterName',
  'trackingUrl',
  'missing',
  'pickup',
  'dueDate',
  'ticketNumber',
  'counterNumber',
  'peopleAhead',
] as const;
export type NoticePlaceholder = (typeof NOTICE_PLACEHOLDERS)[number];
export type NoticeParams = Partial<Record<NoticePlaceholder, string>>;

/** How close to one's turn a queue ticket is when its holder is told to come back (the kiosk's opt-in says so). */
export const TICKET_NEAR_AHEAD = 3;

/** A mobile number in mainland China: what an SMS can reach. */
export const noticePhoneSchema = z.string().regex(/^1[3-9]\d{9}$/, { message: 'is not a mobile number' });

/** The hours (hall time) no SMS goes out: from 22:00 to 08:00 the notice waits for the morning. */
export const QUIET_HOURS = { from: 22, to: 8 } as const;

export const noticeDeadLetterSchema = z.object({
  id: z.string(),
  kind: z.enum(NOTICE_KINDS),
  hallId: z.string(),
  hallName: z.string(),
  caseNumber: z.string().nullable(),
  /** Never the whole number: 138****8000. */
  phoneMasked: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deadAt: z.string(),
});
export type NoticeDeadLetter = z.infer<typeof noticeDeadLetterSchema>;
export const noticeDeadLettersSchema = z.object({ items: z.array(noticeDeadLetterSchema) });
export type NoticeDeadLetters = z.infer<typeof noticeDeadLettersSchema>;

export const noticeIdParamsSchema = z.object({ id: z.string().regex(/^\d{1,18}$/) }).strict();

/** A notice's wording: the global default (`matterCode` '') or one matter's own. */
export const noticeTemplateSchema = z.object({
  kind: z.enum(NOTICE_KINDS),
  matterCode: z.string(),
  body: z.string(),
  updatedAt: z.string(),
});
export type NoticeTemplate = z.infer<typeof noticeTemplateSchema>;
export const noticeTemplatesSchema = z.object({ items: z.array(noticeTemplateSchema) });

export const noticeTemplateParamsSchema = z.object({ kind: z.enum(NOTICE_KINDS) }).strict();

/** An SMS of 300 characters is five messages already; a template only names placeholders it can fill. */
export const noticeTemplateInputSchema = z
  .object({
    matterCode: z
      .string()
      .trim()
      .max(40)
      .regex(/^[A-Za-z0-9_-]*$/, { message: 'is not a matter code' }),
    body: z.string().trim().min(1).max(300),
  })
  .strict()
  .superRefine((t, ctx) => {
    for (const [, name] of t.body.matchAll(/\{(\w+)\}/g)) {
      if (!(NOTICE_PLACEHOLDERS as readonly string[]).includes(name!)) {
        ctx.addIssue({ code: 'custom', path: ['body'], message: `names an unknown placeholder {${name}}` });
      }
    }
  });
export type NoticeTemplateInput = z.infer<typeof noticeTemplateInputSchema>;
