import { sm4 } from 'sm-crypto-v2';

/**
 * SM4-GCM (GB/T 32907 in GCM, as RFC 8998) over sm-crypto-v2, pure JavaScript: the device's Electron
 * (BoringSSL) has no SM4 and the Node that runs central has SM4 but not in GCM, so both seal with this.
 * The key is SM4's 16 bytes; a 96-bit nonce and a 128-bit tag.
 */
export const SM4_KEY_BYTES = 16;

export function sm4GcmSeal(
  key: Uint8Array,
  nonce: Uint8Array,
  plain: Uint8Array,
  aad: Uint8Array,
): { body: Uint8Array; tag: Uint8Array } {
  if (key.length !== SM4_KEY_BYTES) throw new Error(`an SM4 key is ${SM4_KEY_BYTES} bytes`);
  const r = sm4.encrypt(plain, key, { mode: 'gcm', iv: nonce, associatedData: aad, output: 'array', outputTag: true });
  if (!r.tag) throw new Error('SM4-GCM produced no tag');
  return { body: r.output, tag: r.tag };
}

/** The plaintext; throws when the tag does not verify (the library checks it before it returns anything). */
export function sm4GcmOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  body: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array,
): Uint8Array {
  if (key.length !== SM4_KEY_BYTES) throw new Error(`an SM4 key is ${SM4_KEY_BYTES} bytes`);
  return sm4.decrypt(body, key, { mode: 'gcm', iv: nonce, associatedData: aad, tag, output: 'array' });
}
