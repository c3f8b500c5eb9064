import { matterSchema, departmentSchema } from '@shared/api/methods/intake';
import type { Open311Request, Open311Service } from '@shared/console/open311';
import { CASE_STATES, FINAL_CASE_STATES, type CaseState } from '@shared/intake/case-states';
import { CASE_DECISIONS, type CaseDecisionOutcome } from '@shared/intake/case-outcome';
import { caseStatusWords } from '../tracking/status-words';
import type { CatalogRow, RequestRow } from './open311-store';
import { endOfHallDate, hallDateTime } from './open311-time';

const APPLICANT_TYPE_WORDS = { person: '个人', organisation: '法人和其他组织' } as const;

/** Department names by id, from a hall's catalog rows. */
export function departmentNames(rows: CatalogRow[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const r of rows) {
    const d = departmentSchema.safeParse(r.data);
    if (d.success) names.set(r.id, d.data.nameZh);
  }
  return names;
}

/** The hall's active matters as GeoReport services (a matter no longer offered is no service). */
export function servicesOf(matters: CatalogRow[], departments: Map<string, string>): Open311Service[] {
  const services: Open311Service[] = [];
  for (const r of matters) {
    const parsed = matterSchema.safeParse(r.data);
    if (!parsed.success || !parsed.data.active) continue;
    const m = parsed.data;
    const department = departments.get(m.departmentId) ?? m.departmentId;
    const promise = m.promisedDays === 0 ? '即办件' : `承诺${m.promisedDays}个工作日办结（法定${m.legalDays}个工作日）`;
    services.push({
      service_code: m.code,
      service_name: m.nameZh,
      description: `${department}办理；${promise}`,
      metadata: false,
      type: 'batch',
      keywords: m.applicantTypes.map((t) => APPLICANT_TYPE_WORDS[t]).join(','),
      group: department,
    });
  }
  return services;
}

const isDecision = (s: string | null): s is CaseDecisionOutcome =>
  s !== null && (CASE_DECISIONS as readonly string[]).includes(s);

/**
 * A case as a GeoReport service request: its number, its state in words and its dates (in its hall's zone),
 * nothing of its applicant.
 */
export function requestOf(row: RequestRow, timeZone: string): Open311Request {
  // The store selects only the states of `publicStates` (a code never goes out as words).
  const status = row.status as CaseState;
  return {
    service_request_id: row.caseNumber,
    status: FINAL_CASE_STATES.includes(status) ? 'closed' : 'open',
    status_notes: caseStatusWords(status, isDecision(row.decisionOutcome) ? row.decisionOutcome : null),
    service_name: row.matterName ?? row.matterCode ?? '',
    service_code: row.matterCode ?? '',
    agency_responsible: row.departmentName ?? row.departmentId ?? '',
    requested_datetime: row.requestedAt ? hallDateTime(row.requestedAt, timeZone) : null,
    updated_datetime: hallDateTime(row.updatedAt, timeZone),
    expected_datetime: row.promisedDate ? endOfHallDate(row.promisedDate, timeZone) : null,
  };
}

/** The case states a GeoReport `status` filter means (all of them without one); drafts never go out. */
export function publicStates(status: 'open' | 'closed' | undefined): CaseState[] {
  return CASE_STATES.filter(
    (s) => s !== 'draft' && (status === undefined || FINAL_CASE_STATES.includes(s) === (status === 'closed')),
  );
}
