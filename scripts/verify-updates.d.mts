export declare function parseLatestYml(text: string): { url?: string; sha512?: string; size?: number }[];
export declare function verifyUpdatesFolder(dir: string): string[];
