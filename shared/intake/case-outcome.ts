import { z } from 'zod';
import { multiLine, singleLine } from '../validation/text';

/** 准予 / 不予: what a department decides when it completes a case. */
export const CASE_DECISIONS = ['approved', 'denied'] as const;
export type CaseDecisionOutcome = (typeof CASE_DECISIONS)[number];

/** 窗口领取 / 邮寄: how the applicant gets the result. */
export const PICKUP_METHODS = ['counter', 'post'] as const;
export type PickupMethod = (typeof PICKUP_METHODS)[number];

/**
 * The appeal route a refusal must state (DOMAIN.md "Case": 行政复议 within 60 days, 行政诉讼 within 6
 * months); the console offers it as the default text, the department may name the bodies.
 */
export const DEFAULT_APPEAL_ROUTE_ZH =
  '如不服本决定，可自收到本决定之日起60日内依法申请行政复议，或者6个月内依法向人民法院提起行政诉讼。';

export const caseDecisionSchema = z
  .object({
    outcome: z.enum(CASE_DECISIONS),
    /** Why: required for 不予, optional for 准予. */
    reason: multiLine(500),
    /** The appeal route: required for 不予. */
    appealRoute: multiLine(300),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.outcome !== 'denied') return;
    if (!d.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a refusal must give its reason' });
    if (!d.appealRoute) {
      ctx.addIssue({ code: 'custom', path: ['appealRoute'], message: 'a refusal must state the appeal route' });
    }
  });
export type CaseDecision = z.infer<typeof caseDecisionSchema>;

export const casePickupSchema = z
  .object({
    method: z.enum(PICKUP_METHODS),
    /** The postal tracking number: required for 邮寄. */
    trackingNumber: z
      .string()
      .trim()
      .max(40)
      .regex(/^[A-Za-z0-9-]*$/, { message: 'is not a tracking number' }),
    /** The carrier (e.g. EMS) for 邮寄. */
    carrier: z.string().trim().max(20),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.method === 'post' && !p.trackingNumber) {
      ctx.addIssue({ code: 'custom', path: ['trackingNumber'], message: 'a posted result needs its tracking number' });
    }
  });
export type CasePickup = z.infer<typeof casePickupSchema>;

/** One thing a 补正通知 asks for: a catalog material (by id) or a free description. */
export const supplementItemSchema = z
  .object({
    materialId: z.string().max(40).nullable(),
    name: singleLine(80),
    note: multiLine(200),
  })
  .strict();
export type SupplementItem = z.infer<typeof supplementItemSchema>;
