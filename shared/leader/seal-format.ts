/**
 * The sealed box both ends agree on (the device seals, the leader's session or central opens):
 * `2 | ephemeral X25519 public key (32) | nonce (12) | tag (16) | AES-256-GCM ciphertext`. The AES key is
 * HKDF-SHA-256 of the X25519 shared secret, salted with the ephemeral and the recipient's public keys, so
 * a box opens only for the holder of the recipient's private key. The AAD names the record, as for v1.
 */
export const SEAL_BOX_VERSION = 2;
export const SEAL_BOX_INFO = 'onewindow sealed box v2';
export const X25519_PUBLIC_KEY_BYTES = 32;

/** AAD of a 批示 sealed for central: bound to the action and its leader, so it cannot be moved to another. */
export const centralCommentAad = (leaderId: string, actionId: string): string =>
  `leader_action_central:${leaderId}:${actionId}`;
