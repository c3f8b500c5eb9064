/**
 * The sealed box both ends agree on (the device seals, the leader's session or central opens):
 * `2 | ephemeral X25519 public key (32) | nonce (12) | tag (16) | AES-256-GCM ciphertext`. The AES key is
 * HKDF-SHA-256 of the X25519 shared secret, salted with the ephemeral and the recipient's public keys, so
 * a box opens only for the holder of the recipient's private key. The AAD names the record, as for v1.
 */
export const SEAL_BOX_VERSION = 2;
export const SEAL_BOX_INFO = 'onewindow sealed box v2';
/**
 * The same box under the SM crypto profile, for what a device seals to its own leader's key only (central
 * opens v2 alone): HKDF-SM3 and SM4-GCM in place of HKDF-SHA-256 and AES-256-GCM; the key agreement stays
 * X25519 (docs/security/crypto-profiles.md says why).
 */
export const SEAL_BOX_SM_VERSION = 3;
export const SEAL_BOX_SM_INFO = 'onewindow sealed box v3';
export const X25519_PUBLIC_KEY_BYTES = 32;

/** AAD of a 批示 sealed for central: bound to the action and its leader, so it cannot be moved to another. */
export const centralCommentAad = (leaderId: string, actionId: string): string =>
  `leader_action_central:${leaderId}:${actionId}`;
