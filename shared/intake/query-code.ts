/**
 * The per-case query code (查询码) printed on the receipt and carried by its QR: with the case number it
 * opens the public tracking page. Ten characters of Crockford's base32 (no I, L, O, U: nothing to misread
 * from paper) are 50 random bits, so guessing a code for a known case number is hopeless under the
 * tracking page's rate limit.
 */
export const QUERY_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const QUERY_CODE_LENGTH = 10;
export const QUERY_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{10}$/;

/** A fresh query code from the platform's CSPRNG (Node's and the browser's `crypto.getRandomValues`). */
export function newQueryCode(): string {
  const bytes = new Uint8Array(QUERY_CODE_LENGTH);
  globalThis.crypto.getRandomValues(bytes);
  // 256 is a multiple of 32, so taking the low five bits keeps every character equally likely.
  return Array.from(bytes, (b) => QUERY_CODE_ALPHABET[b & 31]).join('');
}

/** A code as a person may type it from paper: spaces and dashes dropped, lower case accepted. */
export function normaliseQueryCode(typed: string): string {
  return typed.replace(/[\s-]/g, '').toUpperCase();
}

/**
 * The tracking link of a case: `<base>/<case number>?code=<query code>`, the form central's `/track`
 * serves. `base` is the hall profile's tracking URL (central's `/track` unless the hall names another).
 */
export function trackingLink(base: string, caseNumber: string, queryCode: string): string {
  const root = base.replace(/\/+$/, '');
  return `${root}/${encodeURIComponent(caseNumber)}?code=${encodeURIComponent(queryCode)}`;
}
