import crypto from 'node:crypto';
import type { CryptoProfileName } from '@shared/crypto/profile';
import { SM4_KEY_BYTES, sm4GcmOpen, sm4GcmSeal } from '@shared/crypto/sm4-gcm';

/**
 * Central's page files at rest, in the device's format (electron/core/leader/crypto.ts):
 * `alg | nonce(12) | tag(16) | ciphertext`, `alg` 1 = AES-256-GCM, 2 = SM4-GCM (its key the first 16 of the
 * 32 bytes). The AAD names the page by its SHA-256, so a file moved under another page's name does not open.
 * A page stored before central sealed pages is a plain JPEG, PNG or PDF: its first byte (0xFF, 0x89, `%`)
 * is none of the format bytes.
 */
export const PAGE_KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEAD = 1 + NONCE_BYTES + TAG_BYTES;
/** How much longer a sealed page's file is than the page. */
export const SEALED_PAGE_OVERHEAD = HEAD;

/** How central seals pages: CENTRAL_CRYPTO's profile and the page key (page-key.ts). */
export interface PageSealing {
  profile: CryptoProfileName;
  key: Buffer;
}

const AES_256_GCM = 1;
const SM4_GCM = 2;
const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const aadOf = (sha256: string) => Buffer.from(`onewindow-central-page:${sha256}`, 'utf8');

/**
 * Seals a page piece by piece as its bytes arrive, under the SHA-256 it claims (the caller keeps the file
 * only once the bytes hash to it): AES-256-GCM encrypts each piece as it comes; SM4-GCM, which seals a whole
 * buffer only, keeps the pieces and seals them at the end. `final` gives the file's bytes in order.
 */
export function pageSealer(s: PageSealing, sha256: string): { update(piece: Buffer): void; final(): Buffer[] } {
  if (s.key.length !== PAGE_KEY_BYTES) throw new Error(`the page key is ${PAGE_KEY_BYTES} bytes`);
  const nonce = crypto.randomBytes(NONCE_BYTES);
  const aad = aadOf(sha256);
  const pieces: Buffer[] = [];
  if (s.profile === 'sm') {
    return {
      update: (piece) => void pieces.push(piece),
      final() {
        const plain = Buffer.concat(pieces);
        const { body, tag } = sm4GcmSeal(u8(s.key.subarray(0, SM4_KEY_BYTES)), u8(nonce), u8(plain), u8(aad));
        return [Buffer.from([SM4_GCM]), nonce, Buffer.from(tag), Buffer.from(body)];
      },
    };
  }
  const c = crypto.createCipheriv('aes-256-gcm', s.key, nonce);
  c.setAAD(aad);
  return {
    update: (piece) => void pieces.push(c.update(piece)),
    final() {
      pieces.push(c.final());
      return [Buffer.from([AES_256_GCM]), nonce, c.getAuthTag(), ...pieces];
    },
  };
}

/** The page `plain`, whose SHA-256 is `sha256`, as its file holds it. */
export function sealPage(s: PageSealing, sha256: string, plain: Buffer): Buffer {
  const sealer = pageSealer(s, sha256);
  sealer.update(plain);
  return Buffer.concat(sealer.final());
}

/** A page file that does not open: damaged or altered on disk, moved from another name, or another key's. */
export class PageUnreadableError extends Error {
  constructor(
    readonly sha256: string,
    why: string,
  ) {
    super(`page ${sha256} cannot be read (${why})`);
    this.name = 'PageUnreadableError';
  }
}

/** True for a file in the sealed format; false for a page stored in clear before central sealed pages. */
export const isSealed = (file: Buffer): boolean => file[0] === AES_256_GCM || file[0] === SM4_GCM;

/**
 * The page a file holds, with either cipher whatever the profile is now (a central switched to `sm` still
 * reads what it sealed before). A file in clear is returned only when it is the page its name says.
 */
export function openPage(s: PageSealing, sha256: string, file: Buffer): Buffer {
  if (!isSealed(file)) {
    if (crypto.createHash('sha256').update(file).digest('hex') !== sha256) {
      throw new PageUnreadableError(sha256, 'neither sealed nor the page its name says');
    }
    return file;
  }
  if (file.length < HEAD) throw new PageUnreadableError(sha256, 'cut short');
  const nonce = file.subarray(1, 1 + NONCE_BYTES);
  const tag = file.subarray(1 + NONCE_BYTES, HEAD);
  const body = file.subarray(HEAD);
  const aad = aadOf(sha256);
  try {
    if (file[0] === SM4_GCM) {
      return Buffer.from(sm4GcmOpen(u8(s.key.subarray(0, SM4_KEY_BYTES)), u8(nonce), u8(body), u8(tag), u8(aad)));
    }
    const d = crypto.createDecipheriv('aes-256-gcm', s.key, nonce);
    d.setAAD(aad);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(body), d.final()]);
  } catch {
    throw new PageUnreadableError(sha256, 'authentication failed');
  }
}
