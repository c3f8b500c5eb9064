// A hall's past: finished tickets of earlier days written through the queue store into a stopped hub's
// database and moved to history, as the daily reset leaves them. Setup only: nothing here is timed.
import crypto from 'node:crypto';
import { deviceMigrations } from '../../electron/core/db/migrations';
import { openDatabase } from '../../electron/core/db/open';
import { createQueueStore } from '../../electron/core/store/queue-store';

const PER_DAY = 500;
const QUEUES = [
  ['general', 'A'],
  ['property', 'C'],
  ['social', 'D'],
  ['fund', 'E'],
] as const;

/** `tickets` finished tickets, PER_DAY a day, on the days up to the one before `beforeDay`. */
export async function seedHistory(file: string, tickets: number, beforeDay: string) {
  const { db } = await openDatabase({ file, migrations: deviceMigrations });
  try {
    // The one seeding transaction is ~100 MB: a page cache that holds it keeps SQLite from spilling to the WAL.
    db.pragma('cache_size = -400000');
    const store = createQueueStore(db);
    const first = Date.parse(`${beforeDay}T00:00:00Z`) - Math.ceil(tickets / PER_DAY) * 86_400_000;
    store.transaction(() => {
      for (let i = 0; i < tickets; i++) {
        const dayMs = first + Math.floor(i / PER_DAY) * 86_400_000;
        const hallDay = new Date(dayMs).toISOString().slice(0, 10);
        const [queueId, prefix] = QUEUES[i % QUEUES.length]!;
        const seq = store.nextSeq(hallDay, queueId);
        const at = new Date(dayMs + 2 * 3600_000 + (i % PER_DAY) * 60_000).toISOString();
        const id = crypto.randomUUID();
        store.insertTicket({
          id,
          hallDay,
          queueId,
          seq,
          number: `${prefix}${String(seq).padStart(3, '0')}`,
          priority: 'none',
          applicantType: 'person',
          appointmentCode: null,
          apptStartMs: 0,
          apptEndMs: 0,
          arrivedAt: at,
          issuedAt: at,
          parentId: null,
          targetCounterId: null,
          reactivated: false,
        });
        const ticket = store.ticket(id)!;
        store.updateTicket(
          { ...ticket, state: 'done', counterId: 'w1', callCount: 1, firstCalledAt: at, lastCalledAt: at },
          { serviceStartedAt: at, finishedAt: at },
        );
        const event = { ticketId: id, hallDay, at };
        store.insertEvent({
          ...event,
          action: 'issue',
          fromState: null,
          toState: 'waiting',
          counterId: null,
          actor: 'kiosk-1',
        });
        store.insertEvent({
          ...event,
          action: 'finish',
          fromState: 'serving',
          toState: 'done',
          counterId: 'w1',
          actor: 'clerk-at-w1',
        });
      }
      store.archiveBefore(beforeDay);
    });
    return (db.prepare('SELECT count(*) AS n FROM ticket_history').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
