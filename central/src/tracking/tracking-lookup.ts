import crypto from 'node:crypto';
import { z } from 'zod';
import { CASE_STATES, type CaseState } from '@shared/intake/case-states';
import { CASE_DECISIONS, PICKUP_METHODS } from '@shared/intake/case-outcome';
import { trackingViewSchema, type TrackingView } from '@shared/console/tracking';
import { maskApplicantName } from '@shared/validation/mask';
import type { Db } from '../db/pool';
import { trackingStore } from './tracking-store';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest();

/**
 * Compared against when no case has the number, so an unknown number costs what a wrong code costs. It
 * hashes no well-formed query code, so nothing ever matches it.
 */
const NO_CASE_HASH = sha256('no case has this number');

/** The stored hash and the typed code's, compared in constant time (a malformed stored hash never matches). */
function codeMatches(storedHex: string, queryCode: string): boolean {
  const stored = /^[0-9a-f]{64}$/i.test(storedHex) ? Buffer.from(storedHex, 'hex') : NO_CASE_HASH;
  return crypto.timingSafeEqual(stored, sha256(queryCode));
}

// The jsonb columns as central's writers store them (migration 9); anything else shows as nothing.
const missingSchema = z.array(z.object({ name: z.string(), note: z.string().nullable().default('') }));
const decisionSchema = z.object({ outcome: z.enum(CASE_DECISIONS), appealRoute: z.string().nullable().default('') });
const pickupSchema = z.object({
  method: z.enum(PICKUP_METHODS),
  carrier: z.string().nullable().default(''),
  trackingNumber: z.string().nullable().default(''),
});

const isCaseState = (s: string): s is CaseState => (CASE_STATES as readonly string[]).includes(s);

/**
 * The tracking view of the case with this number whose query code is `queryCode` (already normalised and
 * well-formed); undefined when no case has the number or the code is not its code — the caller cannot
 * tell which. What the case holds about the applicant beyond a masked name never leaves this function.
 */
export async function trackedCase(db: Db, caseNumber: string, queryCode: string): Promise<TrackingView | undefined> {
  const candidates = await trackingStore.candidates(db, caseNumber);
  let matched: string | undefined;
  if (candidates.length === 0) codeMatches('', queryCode);
  for (const c of candidates) if (codeMatches(c.queryCodeSha256, queryCode)) matched ??= c.caseId;
  if (!matched) return undefined;

  const [row, events] = await Promise.all([trackingStore.caseRow(db, matched), trackingStore.events(db, matched)]);
  if (!row) return undefined;
  const status = row.status;
  const missing = missingSchema.safeParse(row.missing);
  const decision = decisionSchema.safeParse(row.decision);
  const pickup = pickupSchema.safeParse(row.pickup);
  // Parsed again as the page's contract: a state this table does not know is a defect, not a page.
  return trackingViewSchema.parse({
    caseNumber: row.caseNumber,
    matterName: row.matterName ?? row.matterCode ?? '',
    hallName: row.hallName,
    hallTimeZone: row.hallTimeZone,
    departmentName: row.departmentName ?? row.departmentId ?? '',
    applicantMasked:
      row.applicantName === null
        ? ''
        : maskApplicantName(row.applicantKind === 'organisation' ? 'organisation' : 'person', row.applicantName),
    acceptedAt: row.acceptedAt?.toISOString() ?? null,
    promisedDate: row.promisedDate,
    status,
    timeline: events
      .filter((e) => isCaseState(e.toStatus))
      .map((e) => ({ at: e.at.toISOString(), status: e.toStatus })),
    // What to bring matters only while the case waits for it.
    missing:
      status === 'supplement_requested' && missing.success
        ? missing.data.map((m) => ({ name: m.name, note: m.note ?? '' }))
        : [],
    decision:
      status === 'completed' && decision.success
        ? { outcome: decision.data.outcome, appealRoute: decision.data.appealRoute ?? '' }
        : null,
    pickup:
      status === 'completed' && pickup.success
        ? {
            method: pickup.data.method,
            carrier: pickup.data.carrier ?? '',
            trackingNumber: pickup.data.trackingNumber ?? '',
          }
        : null,
    // Central keeps no hall profile (the enquiry phone lives on the hall's devices): the department's
    // own phone from the catalog is the number that can answer about this case.
    enquiryPhone: row.departmentPhone || null,
  } satisfies Record<keyof TrackingView, unknown>);
}
