import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { IssuedTicket } from '@shared/api';
import { startQueueCore } from '../fixtures/queue-core';
import { tempDir } from '../fixtures/temp-dir';
import { scaled } from './scale';

/**
 * Power goes between the SQLite commit and the printed receipt: the device process that issued a ticket
 * is killed -9 while "printing". On restart the ticket is there (synchronous=FULL), the kiosk's retry
 * with the same mutation id gets that same ticket (no second number), and the reprint path finds it.
 */
describe('crash between commit and print', () => {
  const tmp = tempDir('ow-power-');
  afterAll(() => tmp.remove());

  async function issueAndDie(mutationId: string) {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/reliability/issue-then-die.ts', tmp.dir, mutationId],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.on('exit', (code) => reject(new Error(`child exited (${code}) before committing`)));
    });
    await new Promise<void>((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
    return JSON.parse(line) as { committed: IssuedTicket['ticket']; synchronous: number };
  }

  it(
    'keeps every committed ticket and answers the retry with it, never a second number',
    async () => {
      const rounds = scaled(3, 30);
      const committed: { mutationId: string; ticket: IssuedTicket['ticket'] }[] = [];
      for (let i = 0; i < rounds; i++) {
        const mutationId = crypto.randomUUID();
        const { committed: ticket, synchronous } = await issueAndDie(mutationId);
        expect(synchronous).toBe(2); // FULL
        committed.push({ mutationId, ticket });
      }
      const q = await startQueueCore(undefined, { dataDir: tmp.dir });
      try {
        for (const { mutationId, ticket } of committed) {
          // The kiosk never got its answer, so it retries the same call.
          const retried = q.queue.issue(
            { mutationId, queueId: 'general', applicantType: 'person', priority: 'none' },
            q.kiosk,
          );
          expect(retried.ticket.id).toBe(ticket.id);
          expect(retried.ticket.number).toBe(ticket.number);
          // The counter's (or kiosk's) reprint reads it back.
          expect(q.queue.ticket(ticket.id).ticket.number).toBe(ticket.number);
        }
        const numbers = committed.map((c) => c.ticket.number);
        expect(new Set(numbers).size).toBe(rounds);
        const n = (q.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
        expect(n).toBe(rounds);
        expect(q.db.pragma('quick_check', { simple: true })).toBe('ok');
        // The next ticket continues the numbering.
        expect(q.issue().number).toBe(`A${String(rounds + 1).padStart(3, '0')}`);
      } finally {
        q.db.close();
      }
    },
    scaled(30_000, 300_000),
  );
});
