import { describe, expect, it } from 'vitest';
import type { Matter } from '@shared/api';
import { createIntakePullAppliers, type IntakePullTargets } from '../../electron/core/sync/intake-pull-appliers';
import { createPullAppliers } from '../../electron/core/sync/pull-appliers';

const matter = (code: string, active: boolean) => ({ code, active }) as Matter;

const MOVE = { hall: true, leader: false };
const OTHER_LEADER = { hall: false, leader: true };

function coreAppliers() {
  const disabled: string[] = [];
  const drops: string[] = [];
  const appliers = createPullAppliers({
    identity: { disableAll: () => void disabled.push('all'), applyPulled: () => undefined },
    leader: {
      hasAccount: () => true,
      importLeaderContent: () => ({ schedules: 0, briefings: 0, files: 0, removed: 0 }),
      dropPulledContent: (id, kind, opts) => void drops.push(`${id}:${kind}:${opts.toCentral ? 'sent' : 'local'}`),
      dropOrphanActions: () => 0,
    },
    enrolledLeaderId: () => 'old-leader',
    hallZone: { adoptZone: () => undefined },
  });
  return { appliers, disabled, drops };
}

/** What each kind forgets when the device is enrolled into another hall, or for another leader (`purge`). */
describe('pull appliers: purge on a new enrolment', () => {
  it('on a move, disables every staff account and drops the old leader’s content with an audit row kept local', () => {
    const { appliers, disabled, drops } = coreAppliers();
    for (const a of Object.values(appliers)) a.purge?.(MOVE);
    expect(disabled).toEqual(['all']);
    expect(drops.sort()).toEqual(['old-leader:briefing:local', 'old-leader:file:local', 'old-leader:schedule:local']);
  });

  it('for another leader of the same hall, drops the old leader’s content only, its audit rows sent', () => {
    const { appliers, disabled, drops } = coreAppliers();
    for (const a of Object.values(appliers)) a.purge?.(OTHER_LEADER);
    expect(disabled).toEqual([]);
    expect(drops.sort()).toEqual(['old-leader:briefing:sent', 'old-leader:file:sent', 'old-leader:schedule:sent']);
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
    for (const a of Object.values(appliers)) a.purge?.(OTHER_LEADER);
    expect([...catalog.values()].filter((m) => m.active)).toHaveLength(2);
    for (const a of Object.values(appliers)) a.purge?.(MOVE);
    expect([...catalog.values()].map((m) => [m.code, m.active])).toEqual([
      ['M-1', false],
      ['M-2', false],
      ['M-3', false],
    ]);
  });
});
