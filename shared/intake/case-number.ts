/**
 * `{hallCode}-{yyyymmdd}-{deviceCode}-{seq4}` (DOMAIN.md): unique without coordination, because each
 * device numbers its own cases per hall day.
 */
export function formatCaseNumber(hallCode: string, hallDay: string, deviceCode: string, seq: number): string {
  return `${hallCode}-${hallDay.replaceAll('-', '')}-${deviceCode}-${String(seq).padStart(4, '0')}`;
}

/** Feedback items are numbered the same way, behind `FK-`, so they are quoted apart from cases. */
export const formatFeedbackNumber = (hallCode: string, hallDay: string, deviceCode: string, seq: number): string =>
  `FK-${formatCaseNumber(hallCode, hallDay, deviceCode, seq)}`;

/** The only shape a case number may have; group 1 is its year. Safe to use in a file name. */
export const CASE_NUMBER_PATTERN = /^[A-Z0-9]{2,12}-(\d{4})\d{4}-[A-Z0-9]{2,8}-\d{4,6}$/;
