export declare const PUBLIC_KEY_FILES: { ed25519: string; sm2: string };
export declare function createReleaseKeyPair(alg?: 'ed25519' | 'sm2'): { privateKey: string; publicKey: string };
export declare function signUpdatesFolder(dir: string, privateKeyPems: string | readonly string[]): string[];
