import crypto from 'node:crypto';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '@shared/api';
import type { Caller } from '../../electron/core/api/caller';
import { createCommitGroup } from '../../electron/core/api/commit-group';
import { createEventBus } from '../../electron/core/api/event-bus';
import { DATABASE_FILE_NAME } from '../../electron/core/config/paths';
import { DEMO_QUEUES } from '../../electron/core/queue/demo-hall';
import { signInAdmin } from '../fixtures/staff';
import { startTestCore } from '../fixtures/test-core';
import { tempDir } from '../fixtures/temp-dir';

/**
 * The hub's line commands share a commit when they arrive together (api/commit-group.ts). What must hold:
 * each is answered and announced only once it is durable, a refused one takes nothing of the others with
 * it, and a commit that fails leaves none of them written.
 */
type T = Awaited<ReturnType<typeof startTestCore>>;
let t: T | undefined;
afterEach(() => t?.stop());

const NOW = new Date('2026-03-02T02:00:00.000Z');
const kiosk: Caller = { role: 'kiosk', transport: 'http', origin: 'kiosk-1' };
type Issued = { ticket: { id: string; number: string; queueId: string } };

async function hallWithReader() {
  // 10:00 in the hall, whatever the hour the test runs at: the queues are open.
  t = await startTestCore({ now: () => NOW });
  const reader = new Sqlite(path.join(t.dataDir, DATABASE_FILE_NAME), { readonly: true });
  const committed = () => reader.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM tickets').get()!.n;
  const admin: Caller = { role: 'admin', transport: 'http', origin: 'admin-1' };
  await signInAdmin(t.core.dispatch, admin, { nowMs: () => NOW.getTime() });
  const queue = { ...DEMO_QUEUES[0]!, opensAt: '00:00', closesAt: '23:59', dailyMax: 9999 };
  const upserted = await t.core.dispatch(admin, 'queue.admin.queues.upsert', queue);
  if (!upserted.ok) throw new Error(JSON.stringify(upserted));
  const open = queue;
  const issue = (mutationId = crypto.randomUUID(), queueId = open.id) =>
    t!.core.dispatch(kiosk, 'queue.ticket.issue', { mutationId, queueId, applicantType: 'person' }) as Promise<
      Result<Issued>
    >;
  return { reader, committed, issue, queueId: open.id };
}

describe('group commit of the line commands', () => {
  it('answers and announces a burst of issues only after the one commit that holds them all', async () => {
    const { reader, committed, issue } = await hallWithReader();
    try {
      const seenAtAnnouncement: number[] = [];
      t!.core.bus.subscribe((name) => {
        if (name === 'queue.changed') seenAtAnnouncement.push(committed());
      });
      const before = committed();
      const answers = await Promise.all(
        Array.from({ length: 40 }, () =>
          issue().then((r) => {
            // Answered: another connection already sees the ticket (it is committed).
            if (r.ok) expect(reader.prepare('SELECT 1 FROM tickets WHERE id = ?').get(r.value.ticket.id)).toBeTruthy();
            return r;
          }),
        ),
      );
      expect(answers.every((r) => r.ok)).toBe(true);
      const numbers = answers.map((r) => (r.ok ? r.value.ticket.number : ''));
      expect(new Set(numbers).size).toBe(40);
      // One commit for all: the first announcement already sees the forty tickets on another connection.
      expect(seenAtAnnouncement).toHaveLength(40);
      expect(seenAtAnnouncement[0]).toBe(before + 40);
    } finally {
      reader.close();
    }
  });

  it('rolls back a refused command alone, and answers a retry in the same group with the same ticket', async () => {
    const { reader, committed, issue } = await hallWithReader();
    try {
      const before = committed();
      const retried = crypto.randomUUID();
      const answers = await Promise.all([
        issue(),
        issue(retried),
        issue(crypto.randomUUID(), 'no-such-queue'),
        issue(retried),
        issue(),
      ]);
      expect(answers.map((r) => r.ok)).toEqual([true, true, false, true, true]);
      expect(answers[2]).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const [a, b] = [answers[1], answers[3]].map((r) => (r.ok ? r.value.ticket.id : ''));
      expect(b).toBe(a);
      expect(committed()).toBe(before + 3);
    } finally {
      reader.close();
    }
  });
});

describe('what a refused command writes on purpose', () => {
  it('is kept: five wrong appointment codes in one group lock the kiosk, the right code is then refused', async () => {
    const { reader } = await hallWithReader();
    try {
      const checkIn = (code: string) =>
        t!.core.dispatch(kiosk, 'queue.appointment.checkIn', { mutationId: crypto.randomUUID(), code });
      const wrong = await Promise.all(
        ['WRONG00001', 'WRONG00002', 'WRONG00003', 'WRONG00004', 'WRONG00005'].map(checkIn),
      );
      expect(wrong.map((r) => (r.ok ? 'ok' : (r.error.details as { reason?: string }).reason))).toEqual(
        Array(5).fill('UNKNOWN_APPOINTMENT'),
      );
      const locked = await checkIn('WRONG00006');
      expect(locked).toMatchObject({ ok: false, error: { details: { reason: 'CHECK_IN_LOCKED' } } });
    } finally {
      reader.close();
    }
  });
});

describe('a group whose commit fails', () => {
  it('fails every command of the group, writes none of them and announces nothing', async () => {
    const tmp = tempDir('ow-commit-group-');
    const db = new Sqlite(path.join(tmp.dir, 'x.sqlite'));
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
        CREATE TABLE child (id INTEGER PRIMARY KEY,
          parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)`);
      const bus = createEventBus();
      const announced: string[] = [];
      bus.subscribe((name) => announced.push(name));
      const group = createCommitGroup(db, bus);
      const insert = db.prepare('INSERT INTO child (parent_id) VALUES (?)');
      const command = (parentId: number) => () =>
        db.transaction(() => {
          insert.run(parentId);
          bus.publish('queue.changed', { hallDay: '2026-03-02' });
          return parentId;
        })();
      db.prepare('INSERT INTO parent (id) VALUES (1)').run();
      // The second command's row breaks a deferred key: only the commit finds it, and it fails the group.
      const outcomes = await Promise.allSettled([group.run(command(1)), group.run(command(99)), group.run(command(1))]);
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(db.prepare('SELECT COUNT(*) AS n FROM child').get()).toEqual({ n: 0 });
      expect(db.inTransaction).toBe(false);
      expect(announced).toEqual([]);
      // The next group commits as usual.
      await expect(group.run(command(1))).resolves.toBe(1);
      expect(announced).toEqual(['queue.changed']);
    } finally {
      db.close();
      tmp.remove();
    }
  });
});
