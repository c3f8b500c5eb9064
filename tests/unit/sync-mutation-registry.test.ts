import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mutationDefs, mutationDefsOf } from '@shared/sync/mutations';
import { INTAKE_MUTATIONS } from '@shared/sync/mutations/intake';
import { createMutationRegistry, mutationKey } from '@shared/sync/registry';

const CORE = path.resolve(__dirname, '../../electron/core');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

// The shapes an outbox write takes in the core: the intake's `ctx.append('name@1', …)` and a direct
// `outbox.append({ name: 'x', version: 1, … })`. Any other `append(` call fails the scan below.
const INTAKE_WRITE = /^\s*'([a-zA-Z.]+@\d+)'/;
const DIRECT_WRITE = /^\s*\{\s*name:\s*'([a-zA-Z.]+)',\s*version:\s*(\d+)/;
// The two places that are not a write of a named mutation: the store's own method and the intake
// runner, which forwards the (typed) intake names checked in the second test.
const NOT_A_WRITE = [
  { file: 'store/outbox-store.ts', text: /^m: OutboxMutation/ },
  { file: 'services/intake-command.ts', text: /^\s*\{ name: mutation, version: Number\(version\)/ },
];

/** Every mutation written to the outbox somewhere in electron/core, as `name@version`. */
function writtenMutations(): { key: string; where: string }[] {
  const found: { key: string; where: string }[] = [];
  for (const file of sources(CORE)) {
    const text = fs.readFileSync(file, 'utf8');
    const rel = path.relative(CORE, file).split(path.sep).join('/');
    for (const match of text.matchAll(/\bappend\(/g)) {
      const after = text.slice(match.index + match[0].length, match.index + match[0].length + 300);
      const where = `${rel}:${text.slice(0, match.index).split('\n').length}`;
      const intake = INTAKE_WRITE.exec(after);
      const direct = DIRECT_WRITE.exec(after);
      if (intake) found.push({ key: intake[1]!, where });
      else if (direct) found.push({ key: mutationKey(direct[1]!, Number(direct[2])), where });
      else if (!NOT_A_WRITE.some((n) => n.file === rel && n.text.test(after))) {
        throw new Error(`${where}: an outbox write this test cannot read; name the mutation literally`);
      }
    }
  }
  return found;
}

describe('sync mutation registry', () => {
  const registry = createMutationRegistry(mutationDefs);

  it('registers every mutation the core writes to the outbox, so central never rejects one as unknown', () => {
    const written = writtenMutations();
    // The scan must see the writes it is meant to guard (a broken pattern would find nothing).
    expect(written.map((w) => w.key)).toEqual(
      expect.arrayContaining(['applicant.upsert@1', 'case.create@1', 'rating.submit@1', 'leader.action@2']),
    );
    const unregistered = written.filter((w) => !registry.keys().includes(w.key));
    expect(unregistered).toEqual([]);
  });

  it('registers every intake mutation from its one schema map, the very schema the core checks with', () => {
    for (const [key, schema] of Object.entries(INTAKE_MUTATIONS)) {
      const [name, version] = key.split('@') as [string, string];
      expect(registry.lookup(name, Number(version))?.args).toBe(schema);
    }
  });

  it('refuses a map key that is not name@version', () => {
    expect(() =>
      mutationDefsOf({ 'case.create': INTAKE_MUTATIONS['case.create@1'] }, { 'case.create': ['counter'] }),
    ).toThrow(/name@version/);
  });
});
