export interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
export type Manifest = Record<string, ManifestChunk>;
export interface RouteBudget {
  route: string;
  loads: string[];
  budgetKB: number | null;
}
export interface RouteSize {
  route: string;
  files: string[];
  bytes: number;
  jsBytes: number;
  cssBytes: number;
  budgetKB: number | null;
  over: boolean;
}
export declare const ROUTES: RouteBudget[];
export declare function filesOf(manifest: Manifest, keys: string[]): Set<string>;
export declare function entryKey(manifest: Manifest): string;
export declare function routeSizes(
  manifest: Manifest,
  routes: RouteBudget[],
  sizeOf: (file: string) => number,
): RouteSize[];
export declare function formatTable(rows: RouteSize[]): string;
export declare function gzipSizer(dir: string): (file: string) => number;
export declare function checkRouteSizes(dir: string): RouteSize[];
