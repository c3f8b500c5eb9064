import { z } from 'zod';

/**
 * The two cryptographic profiles a deployment can choose (`crypto` in the device config): the
 * international algorithms, or the Chinese national ones a GB/T 39786 (商用密码应用安全性评估) assessment
 * asks for. What each profile uses is in electron/core/crypto/profile and docs/security/crypto-profiles.md.
 */
export const CRYPTO_PROFILES = ['default', 'sm'] as const;
export const cryptoProfileSchema = z.enum(CRYPTO_PROFILES);
export type CryptoProfileName = z.infer<typeof cryptoProfileSchema>;

/** The keyed MACs of the audit chains, by the name a chain's key record keeps for the rows they hashed. */
export const MAC_NAMES = ['hmac-sha256', 'hmac-sm3'] as const;
export const macNameSchema = z.enum(MAC_NAMES);
export type MacName = z.infer<typeof macNameSchema>;
