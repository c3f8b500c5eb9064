import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';

let t: IntakeCore;
beforeEach(async () => {
  t = await startIntakeCore();
});
afterEach(() => t.stop());

/**
 * Review: the admin page re-reads on its own (the sync panel every 5 s, the KPI panel every 30 s and on
 * every queue change, the hall setup on every queue change). Those reads are not the administrator at
 * the desk: if they count as activity, a page left open in a busy hall never idle-locks (等保 session
 * timeout), and anyone passing the desk acts as the hall administrator.
 */
describe('review: the admin idle lock is not kept open by the page’s own background reads', () => {
  it('locks after admin.idleLockSeconds of nothing but polling', async () => {
    // Ten minutes of an unattended admin page: sync panel polls, KPI refetches, hall setup reloads.
    for (let i = 0; i < 40; i++) {
      t.advance(15_000);
      await t.raw(t.admin, 'sync.status', {});
      await t.raw(t.admin, 'queue.kpis', {});
      await t.raw(t.admin, 'queue.admin.queues', {});
      await t.raw(t.admin, 'queue.counters', {});
    }
    expect(await t.raw(t.admin, 'staff.list', {})).toMatchObject({
      ok: false,
      error: { code: 'SIGN_IN_REQUIRED', details: { reason: 'SIGN_IN_REQUIRED', ended: 'idle' } },
    });
  });

  it('still counts what the administrator does (a write, opening a panel)', async () => {
    for (let i = 0; i < 3; i++) {
      t.advance(200_000);
      expect((await t.raw(t.admin, 'staff.list', {})).ok).toBe(true);
    }
  });
});
