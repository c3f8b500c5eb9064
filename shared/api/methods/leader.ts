import { z } from 'zod';
import { defineMethod } from '../define';
import { multiLine, singleLine } from '../../validation/text';

const uuid = z.uuid();
const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO date-time with offset' });

/** 内部 / 秘密 / 机密: only `internal` content may ever be printed or saved. */
export const CLASSIFICATIONS = ['internal', 'secret', 'top_secret'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];
export const SCHEDULE_KINDS = ['meeting', 'visit', 'other'] as const;
export const BRIEFING_KINDS = ['briefing', 'report'] as const;
export const BRIEFING_PRIORITIES = ['normal', 'important', 'urgent'] as const;
/** mark read, comment or instruction (批示), approve. */
export const LEADER_ACTIONS = ['read', 'comment', 'approve'] as const;
export const LEADER_FILE_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export const LEADER_FILE_MAX_BYTES = 20 * 1024 * 1024;
/** One import carries at least one file of the largest size (base64 grows it by a third) with its bundle. */
export const LEADER_IMPORT_MAX_BYTES = 32 * 1024 * 1024;

/** The lengths the rules below allow, for the forms to say the same rule in words. */
export const LEADER_LOGIN_LENGTH = { min: 2, max: 32 } as const;
export const LEADER_PASSWORD_LENGTH = { min: 10, max: 200 } as const;

export const leaderLogin = z
  .string()
  .trim()
  .regex(new RegExp(`^[a-z][a-z0-9._-]{${LEADER_LOGIN_LENGTH.min - 1},${LEADER_LOGIN_LENGTH.max - 1}}$`), {
    message: `must be ${LEADER_LOGIN_LENGTH.min}–${LEADER_LOGIN_LENGTH.max} lower-case letters, digits, . _ -`,
  });
/** Long enough to resist guessing; scrypt makes each guess slow, the lockout makes guesses few. */
export const leaderPassword = z
  .string()
  .min(LEADER_PASSWORD_LENGTH.min, { message: `must be at least ${LEADER_PASSWORD_LENGTH.min} characters` })
  .max(LEADER_PASSWORD_LENGTH.max, { message: `must be at most ${LEADER_PASSWORD_LENGTH.max} characters` });
export const totpCode = z.string().regex(/^\d{6}$/, { message: 'must be 6 digits' });

// The name is only ever a label (content lives in the database, never on disk by that name), yet a
// name that could climb out of a folder or hide its type is refused rather than silently rewritten.
export const leaderFileName = singleLine(120)
  .refine((s) => !/[/\\:*?"<>|]/.test(s), { message: 'must not contain / \\ : * ? " < > |' })
  .refine((s) => !s.startsWith('.') && !s.includes('..'), { message: 'must not start with a dot or contain ..' })
  .refine((s) => /\.(pdf|png|jpe?g)$/i.test(s), { message: 'must end in .pdf, .png, .jpg or .jpeg' });

const base64 = z
  .string()
  .max(Math.ceil(LEADER_FILE_MAX_BYTES / 3) * 4, { message: `file must be at most ${LEADER_FILE_MAX_BYTES} bytes` })
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'is not base64' });

// ---------------------------------------------------------------- content as central sends it

const scheduleFields = {
  title: singleLine(200),
  kind: z.enum(SCHEDULE_KINDS),
  start: isoDateTime,
  end: isoDateTime,
  location: z.union([singleLine(200), z.literal('')]),
  attendees: z.array(singleLine(60)).max(100),
  notes: multiLine(4000),
};
const endsAfterStart: [(s: { start: string; end: string }) => boolean, { message: string; path: string[] }] = [
  (s) => Date.parse(s.end) > Date.parse(s.start),
  { message: 'must end after it starts', path: ['end'] },
];
const briefingFields = {
  kind: z.enum(BRIEFING_KINDS),
  title: singleLine(200),
  body: multiLine(50_000),
  priority: z.enum(BRIEFING_PRIORITIES),
  publishedAt: isoDateTime,
};
/** The first bytes of each file type, as the device's file check also requires them. */
export const LEADER_FILE_SIGNATURES: Record<(typeof LEADER_FILE_TYPES)[number], number[]> = {
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'image/jpeg': [0xff, 0xd8, 0xff],
};
function startsAs(mime: (typeof LEADER_FILE_TYPES)[number], base64: string): boolean {
  let head: string;
  try {
    head = atob(base64.slice(0, 12));
  } catch {
    return false;
  }
  return LEADER_FILE_SIGNATURES[mime].every((byte, i) => head.charCodeAt(i) === byte);
}

const fileFields = {
  name: leaderFileName,
  mime: z.enum(LEADER_FILE_TYPES),
  classification: z.enum(CLASSIFICATIONS),
  publishedAt: isoDateTime,
  dataBase64: base64,
};

export const scheduleInputSchema = z
  .object({ id: uuid, ...scheduleFields })
  .strict()
  .refine(...endsAfterStart);
export type ScheduleInput = z.infer<typeof scheduleInputSchema>;

export const briefingInputSchema = z.object({ id: uuid, ...briefingFields }).strict();
export type BriefingInput = z.infer<typeof briefingInputSchema>;

export const fileInputSchema = z.object({ id: uuid, ...fileFields }).strict();
export type LeaderFileInput = z.infer<typeof fileInputSchema>;

/**
 * The same items as central keeps them, one reference row each: the row's id is the item's id, so the
 * data carries the rest. Central validates what an administrator puts with these; the device imports
 * them through the bundle schemas above.
 */
export const scheduleContentSchema = z
  .object(scheduleFields)
  .strict()
  .refine(...endsAfterStart);
export const briefingContentSchema = z.object(briefingFields).strict();
export const fileContentSchema = z
  .object(fileFields)
  .strict()
  .refine((f) => startsAs(f.mime, f.dataBase64), { message: 'content is not of its type', path: ['dataBase64'] });

/** What central (or an administrator, until sync lands) delivers for one leader; upserts by id. */
export const leaderBundleSchema = z
  .object({
    leader: leaderLogin,
    schedules: z.array(scheduleInputSchema).max(5000).default([]),
    briefings: z.array(briefingInputSchema).max(5000).default([]),
    files: z.array(fileInputSchema).max(200).default([]),
    /** Ids of content withdrawn: only records of the same source go (the pull's or the hand import's). */
    remove: z.array(uuid).max(5000).default([]),
  })
  .strict();
export type LeaderBundle = z.infer<typeof leaderBundleSchema>;
/** The same content as the sync pull delivers it: for the leader the device is enrolled for. */
export const pulledLeaderContentSchema = leaderBundleSchema.omit({ leader: true });

// ---------------------------------------------------------------- what the pane sees

export const leaderActionSchema = z.object({
  id: uuid,
  targetId: uuid,
  action: z.enum(LEADER_ACTIONS),
  comment: z.string().nullable(),
  at: z.string(),
});
export type LeaderAction = z.infer<typeof leaderActionSchema>;

export const scheduleItemSchema = z.object({
  id: uuid,
  title: z.string(),
  kind: z.enum(SCHEDULE_KINDS),
  start: z.string(),
  end: z.string(),
  location: z.string(),
  attendees: z.array(z.string()),
  notes: z.string(),
  /** Ids of the items in the same answer whose time overlaps this one. */
  conflictsWith: z.array(uuid),
});
export type ScheduleItem = z.infer<typeof scheduleItemSchema>;

export const briefingSummarySchema = z.object({
  id: uuid,
  kind: z.enum(BRIEFING_KINDS),
  title: z.string(),
  priority: z.enum(BRIEFING_PRIORITIES),
  publishedAt: z.string(),
  read: z.boolean(),
  approved: z.boolean(),
});
export type BriefingSummary = z.infer<typeof briefingSummarySchema>;
export const briefingSchema = briefingSummarySchema.extend({
  body: z.string(),
  actions: z.array(leaderActionSchema),
});
export type Briefing = z.infer<typeof briefingSchema>;

export const leaderFileSummarySchema = z.object({
  id: uuid,
  name: z.string(),
  mime: z.enum(LEADER_FILE_TYPES),
  classification: z.enum(CLASSIFICATIONS),
  size: z.number().int(),
  publishedAt: z.string(),
  read: z.boolean(),
  approved: z.boolean(),
});
export type LeaderFileSummary = z.infer<typeof leaderFileSummarySchema>;
export const leaderFileViewSchema = leaderFileSummarySchema.extend({
  dataBase64: z.string(),
  /** Only 内部 may be printed or saved; the pane disables both otherwise. */
  printable: z.boolean(),
  /** Drawn over the content: who is looking, and when (server time). */
  watermark: z.object({ viewer: z.string(), at: z.string() }),
  actions: z.array(leaderActionSchema),
});
export type LeaderFileView = z.infer<typeof leaderFileViewSchema>;

export const leaderSessionSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('locked'), idleLockSeconds: z.number().int() }),
  z.object({
    state: z.literal('unlocked'),
    leaderName: z.string(),
    idleLockSeconds: z.number().int(),
    expiresAt: z.string(),
  }),
]);
export type LeaderSession = z.infer<typeof leaderSessionSchema>;

export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  /** The first row whose hash or link does not match, when `ok` is false. */
  firstBrokenSeq: z.number().int().nullable(),
  reason: z.string().nullable(),
  /** The first row hashed with the device's audit key; the rows before it were written unkeyed. */
  keyedFromSeq: z.number().int().nullable(),
  unkeyedEntries: z.number().int(),
});
export type AuditVerification = z.infer<typeof auditVerificationSchema>;

export const leaderEnrolmentSchema = z.object({
  leaderId: uuid,
  login: z.string(),
  /** Shown once, for the leader's authenticator app; never retrievable again. */
  otpauthUri: z.string(),
  totpSecret: z.string(),
});
export type LeaderEnrolment = z.infer<typeof leaderEnrolmentSchema>;

export const importResultSchema = z.object({
  schedules: z.number().int(),
  briefings: z.number().int(),
  files: z.number().int(),
  removed: z.number().int(),
});
export type LeaderImportResult = z.infer<typeof importResultSchema>;

/**
 * Whether this device may keep leader content: not where its secrets have no OS keychain (Electron's
 * safeStorage on `basic_text`, or none at all), since its central token would then lie open on disk.
 */
export const leaderStorageSchema = z.object({
  allowed: z.boolean(),
  backend: z.enum(['os-keychain', 'basic_text', 'unavailable', 'key-file']),
});
export type LeaderStorage = z.infer<typeof leaderStorageSchema>;

/** A leader account as the administrator opens it on the device. */
export const LEADER_NAME_MAX = 40;
export const leaderEnrolInput = z
  .object({
    login: leaderLogin,
    name: singleLine(LEADER_NAME_MAX),
    password: leaderPassword,
    /** The leader's id at central; defaults to the leader this device is enrolled with central for. */
    leaderId: uuid.optional(),
  })
  .strict();
export const leaderMethods = {
  'leader.session.status': defineMethod({
    description: "This pane's leader session: locked, or unlocked until when. Counts as activity.",
    input: z.object({}).strict(),
    output: leaderSessionSchema,
  }),
  'leader.session.login': defineMethod({
    description: 'Unlock the pane with the leader password and the current authenticator code.',
    input: z.object({ login: leaderLogin, password: leaderPassword, code: totpCode }).strict(),
    output: leaderSessionSchema,
  }),
  'leader.session.lock': defineMethod({
    description: 'Lock the pane now.',
    input: z.object({}).strict(),
    output: leaderSessionSchema,
  }),
  'leader.password.change': defineMethod({
    description: 'Change the leader password (re-wraps the data key; content is not re-encrypted).',
    input: z.object({ currentPassword: leaderPassword, newPassword: leaderPassword, code: totpCode }).strict(),
    output: z.object({ changedAt: z.string() }),
  }),
  'leader.schedule.list': defineMethod({
    description: 'Schedule items overlapping [from, to), with time conflicts marked.',
    input: z
      .object({ from: isoDateTime, to: isoDateTime })
      .strict()
      .refine((r) => Date.parse(r.to) > Date.parse(r.from), { message: 'must be after from', path: ['to'] })
      .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= 42 * 86_400_000, {
        message: 'range must be at most 6 weeks',
        path: ['to'],
      }),
    output: z.array(scheduleItemSchema),
  }),
  'leader.briefing.list': defineMethod({
    description: 'Briefings and reports, newest first, with read state.',
    input: z.object({}).strict(),
    output: z.array(briefingSummarySchema),
  }),
  'leader.briefing.open': defineMethod({
    description: 'One briefing with its body and the actions taken on it (audited).',
    input: z.object({ id: uuid }).strict(),
    output: briefingSchema,
  }),
  'leader.file.list': defineMethod({
    description: 'Confidential files with classification and read state.',
    input: z.object({}).strict(),
    output: z.array(leaderFileSummarySchema),
  }),
  'leader.file.view': defineMethod({
    description: 'One file for the watermarked in-app viewer (audited).',
    input: z.object({ id: uuid }).strict(),
    output: leaderFileViewSchema,
  }),
  'leader.action': defineMethod({
    description: 'Mark read, comment/instruct (批示) or approve a briefing or file; synced to central.',
    input: z
      .object({
        mutationId: uuid,
        targetId: uuid,
        action: z.enum(LEADER_ACTIONS),
        comment: multiLine(2000).optional(),
      })
      .strict()
      .refine((a) => a.action !== 'comment' || (a.comment ?? '').length > 0, {
        message: 'a comment needs its text',
        path: ['comment'],
      }),
    output: leaderActionSchema,
  }),
  'leader.audit.verify': defineMethod({
    description: 'Recompute the hash chain of the audit log and report the first broken row.',
    input: z.object({}).strict(),
    output: auditVerificationSchema,
  }),
  'leader.admin.enrol': defineMethod({
    description: 'Create a leader account with its initial password; returns the TOTP secret once.',
    input: leaderEnrolInput,
    output: leaderEnrolmentSchema,
  }),
  'leader.admin.storage': defineMethod({
    description: 'Whether this device may keep leader content (it refuses without an OS keychain), and why.',
    input: z.object({}).strict(),
    output: leaderStorageSchema,
  }),
  'leader.admin.import': defineMethod({
    description:
      'Import content for a leader (until central sync delivers it); upserts by id, all or nothing. ' +
      'At most 32 MiB of JSON per call: larger sets of files go in several bundles.',
    input: leaderBundleSchema,
    output: importResultSchema,
    maxInputBytes: LEADER_IMPORT_MAX_BYTES,
  }),
};
