export declare function parseLatestYml(text: string): { url?: string; sha512?: string; size?: number }[];
export declare function latestYmls(dir: string): string[];
export declare function signatureFileOf(yml: string): string;
export declare function signatureProblem(
  ymlBytes: Uint8Array,
  signatureText: string | null,
  publicKeyPem: string,
): string | null;
export declare function verifyUpdatesFolder(dir: string, publicKeyPem: string): string[];
export declare function hashProblems(dir: string): string[];
