import crypto from 'node:crypto';

/** The `sha256/…` pin (shared/sync/central-pin.ts) of a certificate, PEM or DER. */
export function spkiPin(cert: string | Buffer): string {
  const spki = new crypto.X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256/${crypto.createHash('sha256').update(spki).digest('base64')}`;
}

/** The certificates of a PEM bundle, in file order. */
export function pemCertificates(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
