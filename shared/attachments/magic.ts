/** The page formats a counter accepts, told by their first bytes, never by a file name or a declared type. */
export const PAGE_MIMES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type PageMime = (typeof PAGE_MIMES)[number];

const SIGNATURES: readonly { mime: PageMime; bytes: readonly number[] }[] = [
  { mime: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { mime: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { mime: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

/** The page format these bytes start with, or null (an EXE renamed .jpg, a text file, nothing at all). */
export function sniffPageMime(bytes: Uint8Array): PageMime | null {
  for (const s of SIGNATURES) {
    if (bytes.length >= s.bytes.length && s.bytes.every((b, i) => bytes[i] === b)) return s.mime;
  }
  return null;
}
