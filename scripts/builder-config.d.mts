import type { Configuration } from 'electron-builder';

export declare const REQUIRED_FUSES: Readonly<Record<string, boolean>>;
export declare const REQUIRED_TARGETS: Readonly<Record<'linux' | 'win', string[]>>;
export declare function loadBuilderConfig(root: string, file?: string): Promise<Configuration>;
export declare function builderConfigProblems(config: Configuration, pkg: Record<string, unknown>): string[];
export declare function checkBuilderConfig(root: string): Promise<Configuration>;
