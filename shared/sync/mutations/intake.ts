import { z } from 'zod';
import {
  PERSON_ID_TYPES,
  ORG_TYPES,
  SEGMENTS,
  MATERIAL_REQUIREMENTS,
  MATERIAL_STATUSES,
} from '../../api/methods/intake';
import type { DeviceRole } from '../wire';
import {
  FEEDBACK_CATEGORIES,
  FEEDBACK_CHANNELS,
  FEEDBACK_KINDS,
  FEEDBACK_STATUSES,
  RATING_APPEAL_DECISIONS,
  RATING_REASONS,
  RETURN_VISIT_METHODS,
  RETURN_VISIT_OUTCOMES,
} from '../../api/methods/feedback';
import { CASE_STATES } from '../../intake/case-states';
import { QUERY_CODE_PATTERN } from '../../intake/query-code';
import { PAGES_PER_MATERIAL_MAX, casePageRefSchema } from '../../attachments/attachments';

const uuid = z.uuid();
const date = z.iso.date();
const instant = z.iso.datetime();
const state = z.enum(CASE_STATES);

/**
 * Args of the outbox mutations the intake writes, by `name@version`. They never carry a clear ID number:
 * applicants travel as the keyed hash (the same key on every device, so central merges profiles by it)
 * and the masked form.
 */
export const INTAKE_MUTATIONS = {
  'applicant.upsert@1': z
    .object({
      applicantId: uuid,
      kind: z.enum(['person', 'organisation']),
      name: z.string(),
      idType: z.enum([...PERSON_ID_TYPES, 'uscc']),
      idHash: z.string().regex(/^[0-9a-f]{64}$/),
      idMasked: z.string(),
      phone: z.string(),
      segment: z.enum(SEGMENTS),
      orgType: z.enum(ORG_TYPES).nullable(),
      contactName: z.string().nullable(),
      at: instant,
    })
    .strict(),
  'visit.record@1': z
    .object({
      visitId: uuid,
      counterId: z.string(),
      counterNumber: z.number().int().nullable(),
      clerkName: z.string(),
      ticketId: uuid.nullable(),
      ticketNumber: z.string().nullable(),
      hallDay: date,
      applicantId: uuid.nullable(),
      startedAt: instant,
    })
    .strict(),
  'case.create@1': z
    .object({
      caseId: uuid,
      caseNumber: z.string(),
      state,
      applicantId: uuid,
      matterCode: z.string(),
      departmentId: z.string(),
      visitId: uuid,
      ticketId: uuid.nullable(),
      ticketNumber: z.string().nullable(),
      counterId: z.string(),
      counterNumber: z.number().int().nullable(),
      clerkName: z.string(),
      feeFen: z.number().int(),
      materials: z.array(
        z
          .object({
            materialId: z.string(),
            requirement: z.enum(MATERIAL_REQUIREMENTS),
            status: z.enum(MATERIAL_STATUSES),
          })
          .strict(),
      ),
      createdAt: instant,
      acceptedAt: instant.nullable(),
      promisedDate: date.nullable(),
      toleranceDueDate: date.nullable(),
      /** The receipt's query code (查询码); central keeps only its hash. Absent from devices before it existed. */
      queryCode: z.string().regex(QUERY_CODE_PATTERN).optional(),
      rejectReason: z.string().nullable(),
      events: z.array(
        z.object({ action: z.string(), fromState: state.nullable(), toState: state, at: instant }).strict(),
      ),
    })
    .strict(),
  /**
   * The applicant brought what a 补正通知 asked for, at the counter: the case resumes (its clock runs
   * again) and the department sees the note.
   */
  'case.supplement.receive@1': z
    .object({
      caseId: uuid,
      materialIds: z.array(z.string().max(40)).max(40),
      note: z.string().max(500),
      receivedBy: z.string(),
      at: instant,
    })
    .strict(),
  'feedback.create@1': z
    .object({
      feedbackId: uuid,
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
      assignee: z.string().nullable(),
      dueDate: date,
      createdAt: instant,
    })
    .strict(),
  'feedback.update@1': z
    .object({
      feedbackId: uuid,
      action: z.enum(['assign', 'resolve', 'close', 'reopen']),
      status: z.enum(FEEDBACK_STATUSES),
      assignee: z.string().nullable(),
      resolution: z.string().nullable(),
      note: z.string().nullable(),
      at: instant,
    })
    .strict(),
  'feedback.returnVisit.schedule@1': z
    .object({
      returnVisitId: uuid,
      feedbackId: uuid,
      scheduledFor: date,
      method: z.enum(RETURN_VISIT_METHODS),
      at: instant,
    })
    .strict(),
  'feedback.returnVisit.record@1': z
    .object({
      returnVisitId: uuid,
      feedbackId: uuid,
      outcome: z.enum(RETURN_VISIT_OUTCOMES),
      note: z.string(),
      doneAt: instant,
    })
    .strict(),
  'rating.submit@1': z
    .object({
      ratingId: uuid,
      visitId: uuid,
      level: z.number().int().min(1).max(5),
      reasons: z.array(z.enum(RATING_REASONS)),
      comment: z.string(),
      at: instant,
    })
    .strict(),
  /** A visit asked for a rating got none before its token expired: "not rated", never a default grade. */
  'rating.notRated@1': z.object({ visitId: uuid, at: instant }).strict(),
  /** The rated clerk's appeal (申诉); `filedBy` is their staff id. */
  'rating.appeal.file@1': z
    .object({ appealId: uuid, ratingId: uuid, reason: z.string(), filedBy: z.string(), at: instant })
    .strict(),
  /** A supervisor's decision; upheld takes the rating out of the clerk's figures and keeps it on record. */
  'rating.appeal.decide@1': z
    .object({
      appealId: uuid,
      ratingId: uuid,
      decision: z.enum(RATING_APPEAL_DECISIONS),
      reason: z.string(),
      decidedBy: z.string(),
      at: instant,
    })
    .strict(),
  /**
   * The scanned pages a case was accepted with, by hash, written in the case's transaction right after
   * `case.create`. The bytes come on the attachment channel, maybe later: until then central shows the
   * case's pages as arriving.
   */
  'case.pages.attach@1': z
    .object({
      caseId: uuid,
      pages: z
        .array(casePageRefSchema)
        .min(1)
        .max(40 * PAGES_PER_MATERIAL_MAX),
    })
    .strict(),
} as const;

export type IntakeMutationName = keyof typeof INTAKE_MUTATIONS;

/**
 * The device roles (as enrolled with central) that write each intake mutation: the counter, or a hub
 * that also serves counters (it may look applicants up, like a counter). The rating pad and its visit
 * live on the counter's own core, so no kiosk writes here; feedback follow-up may also come from the
 * hall's admin PC.
 */
const COUNTER: readonly DeviceRole[] = ['counter', 'hub'];
const FOLLOW_UP: readonly DeviceRole[] = ['counter', 'hub', 'admin'];
export const INTAKE_MUTATION_ROLES: Record<IntakeMutationName, readonly DeviceRole[]> = {
  'applicant.upsert@1': COUNTER,
  'visit.record@1': COUNTER,
  'case.create@1': COUNTER,
  'case.supplement.receive@1': COUNTER,
  'case.pages.attach@1': COUNTER,
  'feedback.create@1': COUNTER,
  'feedback.update@1': FOLLOW_UP,
  'feedback.returnVisit.schedule@1': FOLLOW_UP,
  'feedback.returnVisit.record@1': FOLLOW_UP,
  'rating.submit@1': COUNTER,
  'rating.notRated@1': COUNTER,
  'rating.appeal.file@1': COUNTER,
  'rating.appeal.decide@1': FOLLOW_UP,
};
export type IntakeMutationArgs<N extends IntakeMutationName> = z.infer<(typeof INTAKE_MUTATIONS)[N]>;
