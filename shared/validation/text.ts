import { z } from 'zod';

// Control characters break printers and receipts; tabs and newlines are allowed only in multi-line text.
// eslint-disable-next-line no-control-regex
const SINGLE_LINE_FORBIDDEN = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const MULTI_LINE_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** One line of human text (names, titles): trimmed, non-empty, bounded, no control characters. */
export const singleLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { message: 'must not be empty' })
    .max(max, { message: `must be at most ${max} characters` })
    .refine((s) => !SINGLE_LINE_FORBIDDEN.test(s), { message: 'must not contain control characters' });

/** Free text (notes, reasons): trimmed, bounded, line breaks allowed. */
export const multiLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `must be at most ${max} characters` })
    .refine((s) => !MULTI_LINE_FORBIDDEN.test(s), { message: 'must not contain control characters' });

/**
 * A number as printed on receipts: a service line (12345), a mobile (13800138000, +86 13800138000) or a
 * landline with area code and extension (010-12345678-801).
 */
export const phoneNumber = z
  .string()
  .trim()
  .regex(/^(\+\d{1,3} ?)?(0\d{2,3}-?)?\d{5,11}(-\d{1,6})?$/, { message: 'is not a phone number' });

export const httpsUrl = z
  .string()
  .trim()
  .max(300)
  .url({ message: 'is not a URL' })
  .refine((u) => /^https?:\/\//i.test(u), { message: 'must be an http(s) URL' });
