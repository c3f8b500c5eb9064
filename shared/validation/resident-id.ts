/** GB 11643 resident identity number: 17 digits + ISO 7064 MOD 11-2 check character (0–9 or X). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function residentIdCheckChar(first17: string): string {
  const sum = WEIGHTS.reduce((acc, w, i) => acc + Number(first17[i]) * w, 0);
  return CHECK[sum % 11]!;
}

/** Why a resident ID is not valid, or null when it is. `today` bounds the birth date (no future births). */
export function residentIdProblem(id: string, today: Date = new Date()): string | null {
  if (!/^\d{17}[\dX]$/.test(id)) return 'must be 17 digits and a digit or X';
  if (!/^[1-9]\d{5}/.test(id)) return 'region code is not valid';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) {
    return 'birth date is not a real date';
  }
  if (birth.getTime() > today.getTime()) return 'birth date is in the future';
  if (residentIdCheckChar(id.slice(0, 17)) !== id[17]) return 'check digit does not match';
  return null;
}
