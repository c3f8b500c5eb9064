import { describe, expect, it } from 'vitest';
import type { Matter } from '@shared/api';
import { createIntakePullAppliers, type IntakePullTargets } from '../../electron/core/sync/intake-pull-appliers';
import { createPullAppliers } from '../../electron/core/sync/pull-appliers';

const matter = (code: string, active: boolean) => ({ code, active }) as Matter;

/** What each kind forgets when the device is enrolled into another hall (`purge`). */
describe('pull appliers: purge on a move to another hall', () => {
  it('disables every clerk and drops the old leader’s pulled content of each kind', () => {
    const pins: string[] = [];
    const drops: string[] = [];
    const appliers = createPullAppliers({
      queue: { setEveryClerkPin: (h: string) => void pins.push(h) } as never,
      leader: {
        hasAccount: () => true,
        importLeaderContent: () => ({ schedules: 0, briefings: 0, files: 0, removed: 0 }),
        dropPulledContent: (id, kind) => void drops.push(`${id}:${kind}`),
        dropOrphanActions: () => 0,
      },
      enrolledLeaderId: () => 'old-leader',
    });
    for (const a of Object.values(appliers)) a.purge?.();
    expect(pins).toEqual(['disabled']);
    expect(drops.sort()).toEqual(['old-leader:briefing', 'old-leader:file', 'old-leader:schedule']);
  });

  it('stops offering the old hall’s matters, keeping them for the cases that name them', () => {
    const catalog = new Map([
      ['M-1', matter('M-1', true)],
      ['M-2', matter('M-2', false)],
      ['M-3', matter('M-3', true)],
    ]);
    const appliers = createIntakePullAppliers({
      catalog: {
        matters: () => [...catalog.values()].filter((m) => m.active),
        upsertMatter: (m: Matter) => (catalog.set(m.code, m), m),
      },
      cases: {},
      log: { warn: () => undefined },
    } as unknown as IntakePullTargets);
    for (const a of Object.values(appliers)) a.purge?.();
    expect([...catalog.values()].map((m) => [m.code, m.active])).toEqual([
      ['M-1', false],
      ['M-2', false],
      ['M-3', false],
    ]);
  });
});
