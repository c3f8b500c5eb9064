import { z } from 'zod';
import {
  BRIEFING_KINDS,
  BRIEFING_PRIORITIES,
  CLASSIFICATIONS,
  LEADER_FILE_TYPES,
  SCHEDULE_KINDS,
  briefingContentSchema,
  leaderFileName,
  scheduleContentSchema,
} from '../api/methods/leader';
import type { StaffRole } from '../identity/staff';
import { overlaps } from '../leader/schedule-overlaps';
import { LEADER_FILE_BASE64_MAX, base64ByteLength, base64Head, leaderFileProblem } from './office-file';

/**
 * The leader's office (领导办公室) at the console: each leader's calendar, briefings and confidential files,
 * written as the reference rows the leader's devices pull, with what the leader did with them.
 */

/** Who runs the office: the leader's office (every hall) and central administrators. */
export const OFFICE_ROLES = ['leader_office', 'central_admin'] as const satisfies readonly StaffRole[];

const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO date-time with offset' });

// ---------------------------------------------------------------- leaders

export const officeLeaderSchema = z.object({
  staffId: z.string(),
  /** The id central's leader content and a leader device's enrolment carry for this person. */
  leaderId: z.uuid(),
  login: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  halls: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
  /** Leader devices enrolled for this leader and not revoked: where the content goes. */
  devices: z.number().int(),
  /** The wall clock the leader's calendar is written in (the hall's). */
  timeZone: z.string(),
});
export type OfficeLeader = z.infer<typeof officeLeaderSchema>;
export const officeLeadersSchema = z.array(officeLeaderSchema);

// ---------------------------------------------------------------- items as the console shows them

/** What came back from the leader's devices for one item: read, 批示 (comments), approval. */
export const leaderResponseSchema = z.object({
  readAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  comments: z.array(z.object({ id: z.string(), comment: z.string(), at: z.string() })),
});
export type LeaderResponse = z.infer<typeof leaderResponseSchema>;

const itemMeta = {
  id: z.uuid(),
  /** Bumped by each change: a change sent with an older one is refused (ITEM_CHANGED). */
  version: z.number().int(),
  /** A cancelled schedule, a withdrawn briefing or file: gone from the leader's devices. */
  cancelled: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  response: leaderResponseSchema,
};

export const officeScheduleSchema = z.object({
  ...itemMeta,
  title: z.string(),
  kind: z.enum(SCHEDULE_KINDS),
  start: z.string(),
  end: z.string(),
  location: z.string(),
  attendees: z.array(z.string()),
  notes: z.string(),
  /** Ids of the other live items of the answer whose time overlaps this one (as the pane marks them). */
  conflictsWith: z.array(z.string()),
});
export type OfficeSchedule = z.infer<typeof officeScheduleSchema>;

export const officeBriefingSchema = z.object({
  ...itemMeta,
  kind: z.enum(BRIEFING_KINDS),
  title: z.string(),
  body: z.string(),
  priority: z.enum(BRIEFING_PRIORITIES),
  publishedAt: z.string(),
});
export type OfficeBriefing = z.infer<typeof officeBriefingSchema>;

export const officeFileSchema = z.object({
  ...itemMeta,
  name: z.string(),
  mime: z.enum(LEADER_FILE_TYPES),
  classification: z.enum(CLASSIFICATIONS),
  size: z.number().int(),
  publishedAt: z.string(),
});
export type OfficeFile = z.infer<typeof officeFileSchema>;

// ---------------------------------------------------------------- queries and inputs

/** The calendar's range, as the pane's (at most six weeks). */
export const OFFICE_RANGE_MAX_DAYS = 42;
export const officeScheduleQuerySchema = z
  .object({ from: isoDateTime, to: isoDateTime })
  .strict()
  .refine((r) => Date.parse(r.to) > Date.parse(r.from), { message: 'must be after from', path: ['to'] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= OFFICE_RANGE_MAX_DAYS * 86_400_000, {
    message: `range must be at most ${OFFICE_RANGE_MAX_DAYS} days`,
    path: ['to'],
  });

/** A schedule item as the leader's devices take it, and whether to save it over a conflict warning. */
export const officeScheduleInputSchema = scheduleContentSchema.safeExtend({
  allowConflict: z.boolean().default(false),
});
export type OfficeScheduleInput = z.input<typeof officeScheduleInputSchema>;
const version = z.number().int().min(1);
export const officeScheduleUpdateSchema = officeScheduleInputSchema.safeExtend({ version });
export type OfficeScheduleUpdate = z.input<typeof officeScheduleUpdateSchema>;

/** Cancelling a schedule, withdrawing a briefing or a file: the version the person saw. */
export const officeVersionSchema = z.object({ version }).strict();

// The pane shows a briefing's body as plain text, its line breaks and blank lines kept (LeaderBriefings.vue):
// that is all the formatting it has, so a markup tag would reach the leader as typed and is refused.
const MARKUP_TAG = /<\/?[a-z][a-z0-9-]*(\s[^<>]*)?\/?>/i;
export const briefingBodySchema = briefingContentSchema.shape.body
  .min(1, { message: 'must not be empty' })
  .refine((s) => !MARKUP_TAG.test(s), {
    message: 'the leader pane shows plain text with line breaks: a markup tag would show as typed',
  });
export const officeBriefingInputSchema = z
  .object({
    kind: briefingContentSchema.shape.kind,
    title: briefingContentSchema.shape.title,
    priority: briefingContentSchema.shape.priority,
    body: briefingBodySchema,
  })
  .strict();
export type OfficeBriefingInput = z.input<typeof officeBriefingInputSchema>;
export const officeBriefingUpdateSchema = officeBriefingInputSchema.extend({ version });
export type OfficeBriefingUpdate = z.input<typeof officeBriefingUpdateSchema>;

const FILE_PROBLEM_MESSAGES = {
  empty: 'the file is empty',
  too_large: 'the file is larger than 20 MiB',
  not_allowed: 'by its content the file is not a PDF, PNG or JPEG',
  type_mismatch: 'by its content the file is of another type than it claims',
  name_mismatch: 'the name’s extension does not match the file’s content',
} as const;

/**
 * A confidential file to upload: its name, type and classification, and its bytes in base64. The type is
 * judged by the bytes: they must be a PDF, PNG or JPEG, and the same as the type and the name's extension say.
 */
export const officeFileInputSchema = z
  .object({
    name: leaderFileName,
    mime: z.enum(LEADER_FILE_TYPES),
    classification: z.enum(CLASSIFICATIONS),
    dataBase64: z
      .string()
      .max(LEADER_FILE_BASE64_MAX, { message: FILE_PROBLEM_MESSAGES.too_large })
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'is not base64' })
      .refine((s) => s.length % 4 === 0, { message: 'is not base64' }),
  })
  .strict()
  .superRefine((f, ctx) => {
    const problem = leaderFileProblem({
      name: f.name,
      mime: f.mime,
      size: base64ByteLength(f.dataBase64),
      head: base64Head(f.dataBase64),
    });
    if (!problem) return;
    ctx.addIssue({
      code: 'custom',
      path: [problem.reason === 'name_mismatch' ? 'name' : 'dataBase64'],
      message:
        'detected' in problem
          ? `${FILE_PROBLEM_MESSAGES[problem.reason]} (its content is ${problem.detected})`
          : FILE_PROBLEM_MESSAGES[problem.reason],
      params: { ...problem },
    });
  });
export type OfficeFileInput = z.input<typeof officeFileInputSchema>;

// ---------------------------------------------------------------- refusals with more than a message

/** 409 when a schedule overlaps others and the person has not said to save it anyway. */
export const scheduleConflictSchema = z.object({
  code: z.literal('SCHEDULE_CONFLICT'),
  message: z.string(),
  conflicts: z.array(z.object({ id: z.string(), title: z.string(), start: z.string(), end: z.string() })),
});
export type ScheduleConflict = z.infer<typeof scheduleConflictSchema>;

/**
 * The items of `others` whose [start, end) overlaps the candidate's, by the rule that marks conflicts in the
 * leader pane (`overlaps`): what the office is warned of before saving.
 */
export function conflictsOf<T extends { id: string; start: string; end: string }>(
  candidate: { id: string; start: string; end: string },
  others: readonly T[],
): T[] {
  const rest = others.filter((o) => o.id !== candidate.id);
  const hit = new Set(overlaps([candidate, ...rest]).get(candidate.id));
  return rest.filter((o) => hit.has(o.id));
}
