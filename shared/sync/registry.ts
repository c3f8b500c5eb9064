import type { z } from 'zod';

/** One sync mutation: its name, the version of its args and the zod schema central validates them with. */
export interface MutationDef<S extends z.ZodType = z.ZodType> {
  name: string;
  version: number;
  args: S;
}

export const defineMutation = <S extends z.ZodType>(name: string, version: number, args: S): MutationDef<S> => ({
  name,
  version,
  args,
});

export const mutationKey = (name: string, version: number) => `${name}@${version}`;

export type MutationCheck =
  | { ok: true; args: unknown }
  | { ok: false; reason: 'UNKNOWN_MUTATION' | 'INVALID_ARGS'; issues?: { path: string; message: string }[] };

export interface MutationRegistry {
  lookup(name: string, version: number): MutationDef | undefined;
  /** Validates a pushed mutation; a failure is a business rejection, never a reason to stop the queue. */
  check(name: string, version: number, args: unknown): MutationCheck;
  keys(): string[];
}

export function createMutationRegistry(defs: readonly MutationDef[]): MutationRegistry {
  const byKey = new Map<string, MutationDef>();
  for (const d of defs) {
    const key = mutationKey(d.name, d.version);
    if (byKey.has(key)) throw new Error(`mutation ${key} is defined twice`);
    byKey.set(key, d);
  }
  return {
    lookup: (name, version) => byKey.get(mutationKey(name, version)),
    check(name, version, args) {
      const def = byKey.get(mutationKey(name, version));
      if (!def) return { ok: false, reason: 'UNKNOWN_MUTATION' };
      const parsed = def.args.safeParse(args);
      if (parsed.success) return { ok: true, args: parsed.data };
      return {
        ok: false,
        reason: 'INVALID_ARGS',
        issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      };
    },
    keys: () => [...byKey.keys()],
  };
}
