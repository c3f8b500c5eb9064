import type { z } from 'zod';
import type { DeviceRole } from './wire';

/**
 * One sync mutation: its name, the version of its args, the zod schema central validates them with and
 * the device roles (as enrolled with central) that write it.
 */
export interface MutationDef<S extends z.ZodType = z.ZodType> {
  name: string;
  version: number;
  args: S;
  roles: readonly DeviceRole[];
}

export const defineMutation = <S extends z.ZodType>(
  name: string,
  version: number,
  args: S,
  roles: readonly DeviceRole[],
): MutationDef<S> => ({ name, version, args, roles });

export const mutationKey = (name: string, version: number) => `${name}@${version}`;

export type MutationCheck =
  | { ok: true; args: unknown }
  | {
      ok: false;
      reason: 'UNKNOWN_MUTATION' | 'FORBIDDEN_ROLE' | 'INVALID_ARGS';
      issues?: { path: string; message: string }[];
    };

export interface MutationRegistry {
  lookup(name: string, version: number): MutationDef | undefined;
  /**
   * Validates a mutation pushed by a device of `role`; a failure is a business rejection, never a reason
   * to stop the queue.
   */
  check(name: string, version: number, args: unknown, role: string): MutationCheck;
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
    check(name, version, args, role) {
      const def = byKey.get(mutationKey(name, version));
      if (!def) return { ok: false, reason: 'UNKNOWN_MUTATION' };
      if (!(def.roles as readonly string[]).includes(role)) return { ok: false, reason: 'FORBIDDEN_ROLE' };
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
