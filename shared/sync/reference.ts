import { z } from 'zod';
import { briefingContentSchema, fileContentSchema, scheduleContentSchema } from '../api/methods/leader';
import { departmentSchema, matterUpsertSchema } from '../api/methods/intake';
import { HALL_STAFF_ROLES } from '../identity/staff';
import { caseDecisionSchema, casePickupSchema, supplementItemSchema } from '../intake/case-outcome';
import { FEEDBACK_STATUSES } from '../api/methods/feedback';
import { timeZone } from '../api/methods/queue';

/**
 * The case states a department reports through central. The ones before dispatch are the counter's own
 * decisions and never come back down.
 */
export const CENTRAL_CASE_STATUSES = [
  'dispatched',
  'under_review',
  'in_progress',
  'supplement_requested',
  'completed',
  'returned',
] as const;
export type CentralCaseStatus = (typeof CENTRAL_CASE_STATUSES)[number];

/**
 * Reference data central sends down with pull, by kind. `scope` says who receives a row: every hall
 * (`global`, or one hall when the row names it), or only the devices enrolled for the row's leader.
 * Each kind's data is validated at central with the schema of the domain that applies it.
 */
export const REF_KINDS = {
  // The intake's own catalog shapes: what central sends is what `catalog.admin.*.upsert` accepts.
  'catalog.department': { scope: 'hall', data: departmentSchema.strict() },
  'catalog.matter': { scope: 'hall', data: matterUpsertSchema },
  /** One date of the working-day calendar (id: the date): a public holiday, or a make-up working day. */
  holiday: {
    scope: 'hall',
    data: z.object({ date: z.iso.date(), workday: z.boolean(), name: z.string().max(40) }).strict(),
  },
  /**
   * A person of the hall (id: the staff id), one row per hall they work in. Central strips the
   * credentials for devices that never verify them: see STAFF_PIN_ROLES and STAFF_PASSWORD_ROLES.
   */
  staff: {
    scope: 'hall',
    data: z
      .object({
        login: z.string().min(1).max(32),
        name: z.string().min(1).max(40),
        roles: z.array(z.enum(HALL_STAFF_ROLES)),
        enabled: z.boolean(),
        pinHash: z.string().min(1).max(300).nullable(),
        passwordHash: z.string().min(1).max(300).nullable(),
        /** Base32 TOTP secret of a person who signs in with a password (hall administrators, supervisors). */
        totpSecret: z
          .string()
          .regex(/^[A-Z2-7]{16,64}$/)
          .nullable(),
      })
      .strict(),
  },
  /** A department's progress on a case (id: the case id), as central learns it. */
  'case.status': {
    scope: 'hall',
    data: z
      .object({
        caseId: z.uuid(),
        status: z.enum(CENTRAL_CASE_STATUSES),
        at: z.iso.datetime({ offset: true }),
        note: z.string().max(200).nullable().default(null),
        /** The promise after a 补正 paused the clock; null: unchanged. */
        promisedDate: z.iso.date().nullable().default(null),
        /** What a 补正通知 asks the applicant to bring (status supplement_requested). */
        missing: z.array(supplementItemSchema).max(40).default([]),
        /** 准予 / 不予 with reason and appeal route (status completed). */
        decision: caseDecisionSchema.nullable().default(null),
        /** 窗口领取 or 邮寄 with tracking number (status completed). */
        pickup: casePickupSchema.nullable().default(null),
      })
      .strict(),
  },
  /**
   * Central's side of a complaint, suggestion or 差评 rectification the hall filed (id: the feedback id):
   * the department it went to, its deadline, the department's answer, the return visit and whether it
   * is due soon or overdue, so the hall's dashboard can chase it.
   */
  'feedback.status': {
    scope: 'hall',
    data: z
      .object({
        feedbackId: z.uuid(),
        status: z.enum(FEEDBACK_STATUSES),
        departmentId: z.string().max(40).nullable(),
        dueDate: z.iso.date(),
        answer: z.string().max(2000).nullable(),
        answeredAt: z.iso.datetime({ offset: true }).nullable(),
        escalation: z.enum(['none', 'due_soon', 'overdue']),
        at: z.iso.datetime({ offset: true }),
      })
      .strict(),
  },
  /**
   * The hall's IANA time zone as central holds it (id: the hall id), one row per hall. A device that keeps
   * its own clock (the hall hub, a leader PC) takes it; a device served by the hub follows the hub.
   */
  'hall.zone': { scope: 'hall', data: z.object({ timeZone }).strict() },
  // Leader content: the row id is the item's id (a UUID, as the leader pane keys its records).
  'leader.schedule': { scope: 'leader', data: scheduleContentSchema, id: z.uuid() },
  'leader.briefing': { scope: 'leader', data: briefingContentSchema, id: z.uuid() },
  'leader.file': { scope: 'leader', data: fileContentSchema, id: z.uuid() },
} as const satisfies Record<string, { scope: 'hall' | 'leader'; data: z.ZodType; id?: z.ZodType }>;

export type RefKind = keyof typeof REF_KINDS;
export const refKindSchema = z.enum(Object.keys(REF_KINDS) as [RefKind, ...RefKind[]]);
export const isRefKind = (k: string): k is RefKind => Object.prototype.hasOwnProperty.call(REF_KINDS, k);

/**
 * Devices (as enrolled with central) that verify counter PINs themselves and so receive PIN hashes: a
 * counter PC may be its own hub. Kiosks, displays and leader PCs get no staff row at all (REF_KIND_ACCESS).
 */
export const STAFF_PIN_ROLES = ['hub', 'counter', 'admin'] as const;
/**
 * Devices that verify the admin page's password + TOTP sign-in: the hub and an admin PC. A counter PC
 * never holds an administrator's password hash or TOTP secret (a clerk with its disk would have them).
 */
export const STAFF_PASSWORD_ROLES = ['hub', 'admin'] as const;
