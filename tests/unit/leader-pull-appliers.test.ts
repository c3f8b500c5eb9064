import { describe, expect, it } from 'vitest';
import type { RefRow } from '@shared/sync/wire';
import { createPullAppliers, type LeaderPullTarget } from '../../electron/core/sync/pull-appliers';

const L = '0b5c1f3e-8a55-4a5e-9a43-1c2d3e4f5a6b';
const row = (kind: string, id: string, version: number, deleted = false): RefRow => ({
  kind,
  id,
  version,
  deleted,
  data: deleted ? null : { title: `${id}@${version}` },
});

function setup(opts: { account?: boolean; leaderId?: string | null } = {}) {
  const imports: { leaderId: string; content: unknown }[] = [];
  const drops: string[] = [];
  let orphanSweeps = 0;
  const target: LeaderPullTarget = {
    hasAccount: () => opts.account ?? true,
    importLeaderContent(leaderId, content) {
      imports.push({ leaderId, content });
      return { schedules: 0, briefings: 0, files: 0, removed: 0 };
    },
    dropPulledContent: (_id, kind) => void drops.push(kind),
    dropOrphanActions: () => {
      orphanSweeps++;
      return 0;
    },
  };
  const appliers = createPullAppliers({
    // The staff applier is not reached by these rows.
    identity: undefined as never,
    leader: target,
    enrolledLeaderId: () => (opts.leaderId === undefined ? L : opts.leaderId),
    hallZone: undefined as never,
  });
  const page = (rows: RefRow[], { end = true, reset = false, last = true } = {}) => {
    if (reset) for (const a of Object.values(appliers)) a.reset();
    for (const r of rows) appliers[r.kind]!.apply(r);
    if (end) for (const a of Object.values(appliers)) a.endPage?.(last);
  };
  return { imports, drops, page, sweeps: () => orphanSweeps };
}

describe('leader pull appliers', () => {
  it('imports one page as one bundle for the enrolled leader: upserts by kind, tombstones as removals', () => {
    const s = setup();
    s.page([
      row('leader.schedule', 's1', 1),
      row('leader.briefing', 'b1', 2),
      row('leader.file', 'f1', 3),
      row('leader.briefing', 'b0', 4, true),
    ]);
    expect(s.imports).toEqual([
      {
        leaderId: L,
        content: {
          schedules: [{ id: 's1', title: 's1@1' }],
          briefings: [{ id: 'b1', title: 'b1@2' }],
          files: [{ id: 'f1', title: 'f1@3' }],
          remove: ['b0'],
        },
      },
    ]);
    s.page([]);
    expect(s.imports).toHaveLength(1);
  });

  it('a page retried after a failure keeps only the latest row of each id', () => {
    const s = setup();
    // The first attempt fails before its end (another applier threw): the page comes again, newer.
    s.page([row('leader.briefing', 'b1', 5, true)], { end: false });
    s.page([row('leader.briefing', 'b1', 6)]);
    expect(s.imports).toEqual([
      { leaderId: L, content: { schedules: [], briefings: [{ id: 'b1', title: 'b1@6' }], files: [], remove: [] } },
    ]);
  });

  it('refuses the page while the leader has no account here, so the cursor stays and nothing is lost', () => {
    const s = setup({ account: false });
    expect(() => s.page([row('leader.schedule', 's1', 1)])).toThrow(
      expect.objectContaining({ code: 'LEADER_NOT_ENROLLED' }),
    );
    expect(s.imports).toEqual([]);
  });

  it('drops each pulled kind on a reset, and does nothing on a device enrolled for no leader', () => {
    const s = setup();
    s.page([], { reset: true });
    expect(s.drops.sort()).toEqual(['briefing', 'file', 'schedule']);
    const none = setup({ leaderId: null });
    none.page([row('leader.schedule', 's1', 1)], { reset: true });
    expect(none.imports).toEqual([]);
    expect(none.drops).toEqual([]);
  });

  it('clears orphaned actions once a pull is complete: after a start, then only after a reset', () => {
    const s = setup();
    s.page([row('leader.schedule', 's1', 1)], { last: false });
    expect(s.sweeps()).toBe(0);
    s.page([row('leader.schedule', 's2', 2)]);
    expect(s.sweeps()).toBe(1);
    s.page([]);
    expect(s.sweeps()).toBe(1);
    // The full download after a reset may span pages: the sweep waits for the last one.
    s.page([row('leader.briefing', 'b1', 3)], { reset: true, last: false });
    expect(s.sweeps()).toBe(1);
    s.page([row('leader.briefing', 'b2', 4)]);
    expect(s.sweeps()).toBe(2);
    // Without the account there are no actions to clear, and nothing to ask.
    const none = setup({ account: false });
    none.page([]);
    expect(none.sweeps()).toBe(0);
  });
});
