/** GB 32100 unified social credit code: 17 characters + check character over a 31-letter alphabet. */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckChar(first17: string): string {
  const sum = WEIGHTS.reduce((acc, w, i) => acc + CREDIT_CODE_ALPHABET.indexOf(first17[i]!) * w, 0);
  const c = 31 - (sum % 31);
  return CREDIT_CODE_ALPHABET[c === 31 ? 0 : c]!;
}

/** Why a credit code is not valid, or null when it is. */
export function creditCodeProblem(code: string): string | null {
  if (!/^[0-9ABCDEFGHJKLMNPQRTUWXY]{18}$/.test(code))
    return 'must be 18 characters of 0-9 and A-Y without I, O, S, V, Z';
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return 'check character does not match';
  return null;
}
