import crypto, { webcrypto } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
type EngineCrypto = ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'];
// pkijs is typed against the DOM's WebCrypto, which Node's is at run time.
type DomKey = Parameters<pkijs.Certificate['sign']>[0];
type CryptoKey = webcrypto.CryptoKey;
const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as EngineCrypto });
const DAY = 86_400_000;
const CA_DAYS = 20 * 365;
const SERVER_DAYS = 825;
/** A server certificate this close to its end is reissued at start. */
const RENEW_BEFORE_DAYS = 30;

export const CA_CERT_FILE = 'tls-ca.crt';
export const CA_KEY_FILE = 'tls-ca.key';
export const SERVER_CERT_FILE = 'tls-server.crt';
export const SERVER_KEY_FILE = 'tls-server.key';

const pem = (label: string, der: ArrayBuffer) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/.{64}/g, '$&\n')
    .replace(/\n?$/, '\n')}-----END ${label}-----\n`;
const derOf = (text: string) => {
  const der = Buffer.from(text.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength);
};

const commonName = (cn: string) =>
  new pkijs.RelativeDistinguishedNames({
    typesAndValues: [new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: cn }) })],
  });

const extension = (extnID: string, critical: boolean, value: { toSchema(): asn1js.AsnType }) =>
  new pkijs.Extension({ extnID, critical, extnValue: value.toSchema().toBER(false) });

/** keyUsage bits, first bit (digitalSignature) the highest of the byte. */
const keyUsage = (bits: number) =>
  new pkijs.Extension({
    extnID: '2.5.29.15',
    critical: true,
    extnValue: new asn1js.BitString({ valueHex: new Uint8Array([bits]).buffer, unusedBits: 1 }).toBER(false),
  });

function ipBytes(ip: string): ArrayBuffer {
  if (net.isIPv4(ip)) return new Uint8Array(ip.split('.').map(Number)).buffer;
  // Expanded by the URL parser's canonical form, then read as eight 16-bit groups.
  const full = new URL(`http://[${ip}]`).hostname.slice(1, -1);
  const [head, tail = ''] = full.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = full.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out.buffer;
}

async function certificate(opts: {
  subject: string;
  issuer: string;
  publicKey: CryptoKey;
  signingKey: CryptoKey;
  days: number;
  ca: boolean;
  hosts?: readonly string[];
}): Promise<string> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  const serial = crypto.randomBytes(16);
  serial.writeUInt8(serial.readUInt8(0) & 0x7f, 0); // a positive INTEGER
  cert.serialNumber = new asn1js.Integer({ valueHex: serial.buffer.slice(serial.byteOffset, serial.byteOffset + 16) });
  cert.issuer = commonName(opts.issuer);
  cert.subject = commonName(opts.subject);
  // An hour back: a device whose clock is a little behind still accepts a certificate made just now.
  cert.notBefore.value = new Date(Date.now() - 3_600_000);
  cert.notAfter.value = new Date(Date.now() + opts.days * DAY);
  cert.extensions = [
    extension('2.5.29.19', true, new pkijs.BasicConstraints(opts.ca ? { cA: true, pathLenConstraint: 0 } : {})),
    // CA: keyCertSign and cRLSign; server: digitalSignature.
    keyUsage(opts.ca ? 0x06 : 0x80),
  ];
  if (opts.hosts) {
    cert.extensions.push(
      extension('2.5.29.37', false, new pkijs.ExtKeyUsage({ keyPurposes: ['1.3.6.1.5.5.7.3.1'] })),
      extension(
        '2.5.29.17',
        false,
        new pkijs.AltName({
          altNames: opts.hosts.map((h) =>
            net.isIP(h)
              ? new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: ipBytes(h) }) })
              : new pkijs.GeneralName({ type: 2, value: h }),
          ),
        }),
      ),
    );
  }
  await cert.subjectPublicKeyInfo.importKey(opts.publicKey as unknown as DomKey, engine);
  await cert.sign(opts.signingKey as unknown as DomKey, 'SHA-256', engine);
  return pem('CERTIFICATE', cert.toSchema(true).toBER(false));
}

async function newKeyPair() {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
}
const privatePem = async (k: CryptoKey) => pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', k));

/** Written whole or not at all, readable by the server's user only (certificates too: the folder is its own). */
function writePrivate(file: string, text: string) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Whether the server certificate names exactly `hosts`, comes from this CA and is not near its end. */
function serverCertFits(certPem: string, caPem: string, hosts: readonly string[]): boolean {
  const cert = new crypto.X509Certificate(certPem);
  const ca = new crypto.X509Certificate(caPem);
  if (!cert.verify(ca.publicKey)) return false;
  if (new Date(cert.validTo).getTime() - Date.now() < RENEW_BEFORE_DAYS * DAY) return false;
  const canonical = (h: string) => (net.isIP(h) ? Buffer.from(ipBytes(h)).toString('hex') : h.toLowerCase());
  const named = (cert.subjectAltName ?? '')
    .split(', ')
    .map((n) => canonical(n.replace(/^(DNS|IP Address):/, '')))
    .sort();
  const wanted = hosts.map(canonical).sort();
  return named.length === wanted.length && named.every((n, i) => n === wanted[i]);
}

export interface SelfManagedTls {
  /** Server certificate then the CA's: devices find the pinned CA in the chain the server presents. */
  cert: string;
  key: string;
  caCert: string;
}

/**
 * The CA a server (central, a hall hub) keeps in `keysDir`: made on first start, its private key 0600
 * and used only to sign. Its key never changes on its own: devices pin it, and a new one means pairing
 * every device again. Returns its certificate (PEM).
 */
export async function loadOrCreateCa(keysDir: string, caName: string): Promise<string> {
  fs.mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const file = (name: string) => path.join(keysDir, name);
  if (!fs.existsSync(file(CA_KEY_FILE))) {
    const ca = await newKeyPair();
    const caCert = await certificate({
      subject: caName,
      issuer: caName,
      publicKey: ca.publicKey,
      signingKey: ca.privateKey,
      days: CA_DAYS,
      ca: true,
    });
    // The certificate first: a key without its certificate would be made again, and pinned by no one.
    writePrivate(file(CA_CERT_FILE), caCert);
    writePrivate(file(CA_KEY_FILE), await privatePem(ca.privateKey));
  }
  return fs.readFileSync(file(CA_CERT_FILE), 'utf8');
}

/**
 * The server's own CA in `keysDir` (loadOrCreateCa), and a server certificate from it for `hosts`,
 * reissued when the hosts change or it nears its end; the CA, and so the devices' pin, stays.
 */
export async function loadOrCreateSelfManagedTls(
  keysDir: string,
  hosts: readonly string[],
  caName = 'OneWindow CA',
): Promise<SelfManagedTls> {
  if (hosts.length === 0) throw new Error('no host named for the server certificate');
  const caCert = await loadOrCreateCa(keysDir, caName);
  const file = (name: string) => path.join(keysDir, name);
  const existing = fs.existsSync(file(SERVER_CERT_FILE)) && fs.existsSync(file(SERVER_KEY_FILE));
  if (!existing || !serverCertFits(fs.readFileSync(file(SERVER_CERT_FILE), 'utf8'), caCert, hosts)) {
    const caKey = await webcrypto.subtle.importKey(
      'pkcs8',
      derOf(fs.readFileSync(file(CA_KEY_FILE), 'utf8')),
      ALG,
      false,
      ['sign'],
    );
    const server = await newKeyPair();
    const cert = await certificate({
      subject: hosts[0]!,
      issuer: caName,
      publicKey: server.publicKey,
      signingKey: caKey,
      days: SERVER_DAYS,
      ca: false,
      hosts,
    });
    writePrivate(file(SERVER_KEY_FILE), await privatePem(server.privateKey));
    writePrivate(file(SERVER_CERT_FILE), cert);
  }
  return {
    cert: fs.readFileSync(file(SERVER_CERT_FILE), 'utf8') + caCert,
    key: fs.readFileSync(file(SERVER_KEY_FILE), 'utf8'),
    caCert,
  };
}
