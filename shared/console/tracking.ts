import { z } from 'zod';
import { CASE_STATES } from '../intake/case-states';
import { CASE_DECISIONS, PICKUP_METHODS } from '../intake/case-outcome';
import { QUERY_CODE_PATTERN, normaliseQueryCode } from '../intake/query-code';

/**
 * The public tracking page (办件查询): `GET /track/<case number>?code=<query code>`. A wrong code and an
 * unknown number get the same "not found", so the page is no oracle for case numbers.
 */
export const trackingParamsSchema = z.object({ caseNumber: z.string().trim().min(1).max(40) }).strict();
export const trackingQuerySchema = z
  .object({
    code: z.string().max(20).transform(normaliseQueryCode).pipe(z.string().regex(QUERY_CODE_PATTERN)),
  })
  .strict();

/** What the page shows: nothing that names the applicant beyond a masked name. */
export const trackingViewSchema = z.object({
  caseNumber: z.string(),
  matterName: z.string(),
  hallName: z.string(),
  /** The hall's zone: the page writes the case's times as the hall's clock shows them. */
  hallTimeZone: z.string(),
  departmentName: z.string(),
  /** 张** ; an organisation's name is public and shown whole. */
  applicantMasked: z.string(),
  acceptedAt: z.string().nullable(),
  promisedDate: z.string().nullable(),
  status: z.enum(CASE_STATES),
  timeline: z.array(z.object({ at: z.string(), status: z.enum(CASE_STATES) })),
  /** 补正: what to bring, while the case waits for it. */
  missing: z.array(z.object({ name: z.string(), note: z.string() })),
  decision: z.object({ outcome: z.enum(CASE_DECISIONS), appealRoute: z.string() }).nullable(),
  pickup: z.object({ method: z.enum(PICKUP_METHODS), carrier: z.string(), trackingNumber: z.string() }).nullable(),
  enquiryPhone: z.string().nullable(),
});
export type TrackingView = z.infer<typeof trackingViewSchema>;

/** The path the hall profile's tracking URL points at by default: `<central>/track`. */
export const TRACKING_PATH = '/track';
