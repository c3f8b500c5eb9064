import { trackingLink } from '@shared/intake/query-code';

/**
 * Where a receipt sends the applicant: the hall profile's tracking URL, else — on a device enrolled with
 * central — central's public tracking page as central told it at enrolment; '' when neither is known.
 */
export function trackingBase(profileUrl: string, centralTrackingUrl: string | null): string {
  return profileUrl || centralTrackingUrl || '';
}

/**
 * What the QR of a case's document carries: its tracking link with the query code; the case number alone
 * when there is no tracking page or the case has no code (accepted before codes existed: no page opens it).
 */
export function caseQrText(base: string, caseNumber: string, queryCode: string | null): string {
  return base && queryCode ? trackingLink(base, caseNumber, queryCode) : caseNumber;
}
