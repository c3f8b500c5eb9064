export declare const PUBLIC_KEY_FILE: string;
export declare function createReleaseKeyPair(): { privateKey: string; publicKey: string };
export declare function signUpdatesFolder(dir: string, privateKeyPem: string): string[];
