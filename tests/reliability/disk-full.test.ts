import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../electron/core/api/caller';
import { createDispatcher, type Handlers } from '../../electron/core/api/dispatch';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';
import { startQueueCore } from '../fixtures/queue-core';
import { tempDir } from '../fixtures/temp-dir';

const DISK_FULL = { ok: false, error: { code: 'UNAVAILABLE', details: { reason: 'DISK_FULL' } } };
const quickCheck = (file: string) => {
  const db = new Sqlite(file, { readonly: true });
  try {
    return db.pragma('quick_check', { simple: true });
  } finally {
    db.close();
  }
};

/**
 * The device database cannot grow: a command fails with UNAVAILABLE/DISK_FULL (not INTERNAL), its
 * transaction leaves nothing behind, the file stays sound, and the same call succeeds once there is room.
 */
describe('disk full on the device database', () => {
  it('database size limit (PRAGMA max_page_count): typed refusal, no half write, retry works', async () => {
    const q = await startQueueCore();
    try {
      // The dispatcher as the core builds it, over the real queue service.
      const dispatch = createDispatcher({
        'queue.ticket.issue': (input, caller) => q.queue.issue(input, caller),
      } as Partial<Handlers> as Handlers);
      const kiosk: Caller = { role: 'kiosk', transport: 'http', origin: 'kiosk-1' };
      const pages = q.db.pragma('page_count', { simple: true }) as number;
      q.db.pragma(`max_page_count = ${pages + 2}`);
      const counts = () =>
        q.db.prepare('SELECT (SELECT count(*) FROM tickets) AS t, (SELECT count(*) FROM command_log) AS c').get();
      let refused: { input: unknown; before: unknown } | undefined;
      for (let i = 0; i < 5000 && !refused; i++) {
        const input = { mutationId: q.m(), queueId: 'general', applicantType: 'person' };
        const before = counts();
        const r = await dispatch(kiosk, 'queue.ticket.issue', input);
        if (!r.ok) {
          expect(r).toMatchObject(DISK_FULL);
          refused = { input, before };
        }
      }
      expect(refused, 'the limit was never reached').toBeDefined();
      expect(counts()).toEqual(refused!.before);
      expect(q.db.pragma('quick_check', { simple: true })).toBe('ok');
      q.db.pragma('max_page_count = 1073741823');
      const retried = await dispatch(kiosk, 'queue.ticket.issue', refused!.input);
      expect(retried.ok).toBe(true);
    } finally {
      q.stop();
    }
  });

  // A real full filesystem: a tiny tmpfs (needs root to mount; skipped where mounting is not allowed).
  const mountPoint = tempDir('ow-tinyfs-');
  let mounted = false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mountPoint.dir], { stdio: 'ignore' });
    mounted = true;
  } catch {
    mountPoint.remove();
  }
  describe.skipIf(!mounted)('a full filesystem (tmpfs)', () => {
    let t: IntakeCore;
    const filler = path.join(mountPoint.dir, 'filler.bin');
    beforeAll(async () => {
      t = await startIntakeCore('2026-03-02T02:00:00.000Z', { dataDir: path.join(mountPoint.dir, 'data') });
    }, 30_000);
    afterEach(() => fs.rmSync(filler, { force: true }));
    afterAll(() => {
      t.stop();
      execFileSync('umount', [mountPoint.dir]);
      mountPoint.remove();
    });

    it('intake and ticket issue are refused with DISK_FULL, nothing half-written, and work once space is freed', async () => {
      const ticket = await t.calledTicket();
      const applicant = await t.person();
      const materials = await t.tick('PSB-001');
      // Fill the filesystem to the last byte.
      const fd = fs.openSync(filler, 'w');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (e) {
        expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
      }
      for (let small = Buffer.alloc(512, 1); ;) {
        try {
          fs.writeSync(fd, small);
        } catch {
          break;
        }
      }
      fs.closeSync(fd);

      const before = { cases: t.count('cases'), outbox: t.outboxCount(), events: t.count('case_events') };
      const intake = {
        mutationId: t.m(),
        counterId: 'w1',
        ticketId: ticket.id,
        applicantId: applicant.id,
        matterCode: 'PSB-001',
        materials,
        outcome: 'accept',
      };
      expect(await t.raw(t.clerk, 'case.intake', intake)).toMatchObject(DISK_FULL);
      const issued = await t.raw(t.kiosk, 'queue.ticket.issue', {
        mutationId: t.m(),
        queueId: 'general',
        applicantType: 'person',
      });
      expect(issued).toMatchObject(DISK_FULL);
      expect({ cases: t.count('cases'), outbox: t.outboxCount(), events: t.count('case_events') }).toEqual(before);
      expect(quickCheck(t.dbFile)).toBe('ok');

      fs.rmSync(filler);
      // The clerk's retry of the same intake now goes through.
      const again = await t.raw(t.clerk, 'case.intake', intake);
      expect(again.ok, JSON.stringify(again)).toBe(true);
      expect(t.count('cases')).toBe(before.cases + 1);
      expect(quickCheck(t.dbFile)).toBe('ok');
    });
  });
});
