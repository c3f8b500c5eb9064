import { z } from 'zod';
import { isoDate } from '../api/methods/intake';

/**
 * A read-only Open311 GeoReport v2 API (https://wiki.open311.org/GeoReport_v2) over the matter catalog
 * and cases: `/open311/v2/services.json`, `/requests.json`, `/requests/<case number>.json`. The hall is
 * the jurisdiction (`jurisdiction_id` = hall code, required when central serves several halls). No
 * personal data: no applicant, no address, no notes beyond the status.
 */
export const OPEN311_PATH = '/open311/v2';

export const open311ServiceSchema = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.literal(false),
  type: z.literal('batch'),
  keywords: z.string(),
  group: z.string(),
});
export type Open311Service = z.infer<typeof open311ServiceSchema>;

export const open311RequestSchema = z.object({
  service_request_id: z.string(),
  /** GeoReport's two states: open while the case runs, closed once it is final. */
  status: z.enum(['open', 'closed']),
  /** The case's own status in words (zh-CN), e.g. 办理中, 补正中, 已办结（准予）. */
  status_notes: z.string(),
  service_name: z.string(),
  service_code: z.string(),
  agency_responsible: z.string(),
  requested_datetime: z.string().nullable(),
  updated_datetime: z.string(),
  /** The promised completion date (承诺办结日), as an ISO datetime at the end of that day in hall time. */
  expected_datetime: z.string().nullable(),
});
export type Open311Request = z.infer<typeof open311RequestSchema>;

export const open311ServicesQuerySchema = z.object({ jurisdiction_id: z.string().max(20).optional() }).strict();

export const open311RequestsQuerySchema = z
  .object({
    jurisdiction_id: z.string().max(20).optional(),
    /** Comma-separated case numbers. */
    service_request_id: z.string().max(2000).optional(),
    service_code: z.string().max(200).optional(),
    status: z.enum(['open', 'closed']).optional(),
    start_date: z.iso.datetime({ offset: true }).or(isoDate).optional(),
    end_date: z.iso.datetime({ offset: true }).or(isoDate).optional(),
    /** GeoReport's page size is up to the server; ours: at most 1000, default 200. */
    page_size: z.coerce.number().int().min(1).max(1000).optional(),
    page: z.coerce.number().int().min(1).max(100_000).optional(),
  })
  .strict();

/** GeoReport errors are an array of `{code, description}`. */
export const open311ErrorSchema = z.array(z.object({ code: z.number().int(), description: z.string() }));

/** `/open311/discovery.json` (https://wiki.open311.org/Service_discovery): where the GeoReport v2 API is. */
export const OPEN311_DISCOVERY_PATH = '/open311/discovery.json';
export const open311DiscoverySchema = z.object({
  changeset: z.iso.datetime({ offset: true }),
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(
    z.object({
      specification: z.string(),
      url: z.string(),
      changeset: z.iso.datetime({ offset: true }),
      type: z.enum(['production', 'test']),
      formats: z.array(z.string()),
    }),
  ),
});
export type Open311Discovery = z.infer<typeof open311DiscoverySchema>;
