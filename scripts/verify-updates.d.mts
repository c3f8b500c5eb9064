type ReleaseAlg = 'ed25519' | 'sm2';
interface ReleaseVerifier {
  alg: ReleaseAlg;
  verify(bytes: Uint8Array, signature: Buffer): boolean;
}
export declare function parseLatestYml(text: string): { url?: string; sha512?: string; size?: number }[];
export declare function latestYmls(dir: string): string[];
export declare function signatureProblems(
  ymlBytes: Uint8Array,
  signatures: Partial<Record<ReleaseAlg, string | null>>,
  verifiers: readonly ReleaseVerifier[],
  profile?: 'default' | 'sm',
): string[];
export declare function verifyUpdatesFolder(
  dir: string,
  publicKeyPems: string | readonly string[],
  profile?: 'default' | 'sm',
): string[];
export declare function hashProblems(dir: string): string[];
