import { z } from 'zod';

/**
 * Central's TLS pin as devices hold it: `sha256/` and the base64 SHA-256 of a certificate's
 * SubjectPublicKeyInfo (the form of HPKP and curl's --pinnedpubkey). Central pins its CA, not its
 * server certificate: the server certificate can be renewed or reissued for new addresses without
 * enrolling every device again.
 */
export const centralPinSchema = z
  .string()
  .trim()
  .regex(/^sha256\/[A-Za-z0-9+/]{43}=$/, { message: 'looks like sha256/ and 44 base64 characters' });
export type CentralPin = z.infer<typeof centralPinSchema>;

/** Loopback hosts, the only ones a device may reach central on over plain `http://`. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}
