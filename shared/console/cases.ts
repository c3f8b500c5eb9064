import { z } from 'zod';
import { CASE_STATES } from '../intake/case-states';
import { caseDecisionSchema, casePickupSchema, supplementItemSchema } from '../intake/case-outcome';
import { multiLine } from '../validation/text';
import { DUE_LEVELS } from './deadline';
import { pageQuerySchema } from './session';

/** The department's work queue: cases dispatched to this person's departments, across all halls. */
export const caseQueueQuerySchema = pageQuerySchema
  .extend({
    status: z.enum(CASE_STATES).optional(),
    hallId: z.uuid().optional(),
    departmentId: z.string().max(40).optional(),
    due: z.enum(['due_soon', 'overdue']).optional(),
    /** A case number (or its start) or an applicant's name. */
    q: z.string().trim().max(60).optional(),
  })
  .strict();
export type CaseQueueQuery = z.infer<typeof caseQueueQuerySchema>;

export const caseQueueItemSchema = z.object({
  caseId: z.string(),
  caseNumber: z.string(),
  matterCode: z.string(),
  matterName: z.string(),
  departmentId: z.string(),
  hallId: z.string(),
  hallName: z.string(),
  /** 张** / 某某科技有限公司 (an organisation's name is public). */
  applicantMasked: z.string(),
  acceptedAt: z.string().nullable(),
  promisedDate: z.string().nullable(),
  /** 法定办结日: acceptance + the matter's legal working days by the hall calendar. */
  legalDate: z.string().nullable(),
  /** Working days to the promised date by the hall's calendar; null once the case is final or paused. */
  daysLeft: z.number().int().nullable(),
  dueLevel: z.enum(DUE_LEVELS),
  status: z.enum(CASE_STATES),
  /** Optimistic lock: every action names the version it was decided on. */
  version: z.number().int(),
  /** A 补正 was answered at the counter and the department has not looked since. */
  supplementReceived: z.boolean(),
});
export type CaseQueueItem = z.infer<typeof caseQueueItemSchema>;

export const caseQueuePageSchema = z.object({
  items: z.array(caseQueueItemSchema),
  total: z.number().int(),
  /** Counts by due level over the whole filter (not only this page), for the tiles above the table. */
  dueSoon: z.number().int(),
  overdue: z.number().int(),
});
export type CaseQueuePage = z.infer<typeof caseQueuePageSchema>;

export const caseHistoryEntrySchema = z.object({
  at: z.string(),
  action: z.string(),
  fromStatus: z.enum(CASE_STATES).nullable(),
  toStatus: z.enum(CASE_STATES),
  /** hall: the counter; department / supervisor: a person at the console; system: central itself. */
  actorKind: z.enum(['hall', 'department', 'supervisor', 'system']),
  actorName: z.string().nullable(),
  note: z.string().nullable(),
});
export type CaseHistoryEntry = z.infer<typeof caseHistoryEntrySchema>;

export const caseDetailSchema = caseQueueItemSchema.extend({
  departmentName: z.string(),
  applicant: z.object({
    kind: z.enum(['person', 'organisation']).nullable(),
    name: z.string().nullable(),
    idType: z.string().nullable(),
    idMasked: z.string().nullable(),
    phone: z.string().nullable(),
    contactName: z.string().nullable(),
  }),
  counterNumber: z.number().int().nullable(),
  clerkName: z.string().nullable(),
  feeFen: z.number().int().nullable(),
  toleranceDueDate: z.string().nullable(),
  /** The checklist as the counter received it. */
  materials: z.array(
    z.object({
      materialId: z.string(),
      name: z.string(),
      requirement: z.string(),
      status: z.string(),
    }),
  ),
  missing: z.array(supplementItemSchema),
  decision: caseDecisionSchema.nullable(),
  pickup: casePickupSchema.nullable(),
  history: z.array(caseHistoryEntrySchema),
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;

const note = multiLine(500);

/** What a department does to a case; each flows down to the hall as `case.status`. */
export const caseActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('review'), note }).strict(),
  z.object({ action: z.literal('start'), note }).strict(),
  z
    .object({ action: z.literal('request_supplement'), note, missing: z.array(supplementItemSchema).min(1).max(40) })
    .strict(),
  z.object({ action: z.literal('complete'), note, decision: caseDecisionSchema, pickup: casePickupSchema }).strict(),
  z
    .object({
      action: z.literal('return'),
      note: multiLine(500).refine((s) => s.length > 0, { message: 'say why the case goes back' }),
    })
    .strict(),
]);
export type CaseActionBody = z.infer<typeof caseActionSchema>;

/** `POST /cases/:caseId/actions`: one action on the version the handler saw. */
export const caseActionInputSchema = z.object({ version: z.number().int().min(1), act: caseActionSchema }).strict();
export type CaseActionInput = z.infer<typeof caseActionInputSchema>;

/**
 * `POST /cases/bulk`: one action on many cases (e.g. a batch 办结 ready for pickup), each at the version
 * the handler saw; each case succeeds or fails on its own.
 */
export const caseBulkInputSchema = z
  .object({
    items: z
      .array(z.object({ caseId: z.uuid(), version: z.number().int().min(1) }).strict())
      .min(1)
      .max(200),
    act: caseActionSchema,
  })
  .strict();
export type CaseBulkInput = z.infer<typeof caseBulkInputSchema>;

export const caseBulkResultSchema = z.object({
  results: z.array(
    z.object({
      caseId: z.string(),
      ok: z.boolean(),
      /** CASE_VERSION_CONFLICT, CASE_STATE_CONFLICT, NOT_FOUND, FORBIDDEN when not ok. */
      code: z.string().optional(),
      version: z.number().int().optional(),
    }),
  ),
});
export type CaseBulkResult = z.infer<typeof caseBulkResultSchema>;

/**
 * 409 `CASE_VERSION_CONFLICT`: someone acted first; `current` is the case as it is now, for the console's
 * conflict dialog. 409 `CASE_STATE_CONFLICT`: the action is not allowed from the case's state.
 */
export const caseConflictSchema = z.object({
  code: z.enum(['CASE_VERSION_CONFLICT', 'CASE_STATE_CONFLICT']),
  message: z.string(),
  current: caseDetailSchema,
});
export type CaseConflict = z.infer<typeof caseConflictSchema>;
