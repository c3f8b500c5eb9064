import { creditCodeProblem } from '@shared/validation/credit-code';
import { residentIdProblem } from '@shared/validation/resident-id';

export type IdType = 'resident_id' | 'passport' | 'hkmo_permit' | 'tw_permit' | 'uscc';

/** The shared validators' sentences, each with the page's own translation key under intakePage.idProblem. */
const RESIDENT_ID: Record<string, string> = {
  'must be 17 digits and a digit or X': 'residentFormat',
  'region code is not valid': 'residentRegion',
  'birth date is not a real date': 'residentBirth',
  'birth date is in the future': 'residentFuture',
  'check digit does not match': 'residentCheck',
};
const CREDIT_CODE: Record<string, string> = {
  'must be 18 characters of 0-9 and A-Y without I, O, S, V, Z': 'creditFormat',
  'check character does not match': 'creditCheck',
};

/** The number as the core stores it: trimmed, uppercased. */
export const normaliseIdNumber = (raw: string): string => raw.trim().toUpperCase();

/**
 * Why an identity number cannot be right, as an i18n key, or null: the same GB 11643 / GB 32100 checks the
 * core runs, so the clerk sees a typo while typing instead of after submitting.
 */
export function idProblemKey(idType: IdType, raw: string): string | null {
  const v = normaliseIdNumber(raw);
  if (!v) return 'intakePage.idProblem.empty';
  if (idType === 'resident_id') {
    const p = residentIdProblem(v);
    return p ? `intakePage.idProblem.${RESIDENT_ID[p] ?? 'residentFormat'}` : null;
  }
  if (idType === 'uscc') {
    const p = creditCodeProblem(v);
    return p ? `intakePage.idProblem.${CREDIT_CODE[p] ?? 'creditFormat'}` : null;
  }
  return /^[A-Z0-9]{5,20}$/.test(v) ? null : 'intakePage.idProblem.document';
}
