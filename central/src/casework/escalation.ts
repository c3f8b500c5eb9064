import type { FastifyBaseLogger } from 'fastify';
import { DEFAULT_HALL_TIME_ZONE } from '@shared/format/hall-time';
import { OPEN_FEEDBACK_STATUSES } from '@shared/intake/feedback-states';
import { startOfLocalDate } from '@shared/queue/hall-day';
import { inTransaction, type Db } from '../db/pool';
import { hallStore } from '../store/hall-store';
import { feedbackStore } from './feedback-store';
import { escalationOf, publishFeedback } from './feedback-service';
import { HallCalendars, type CaseworkClock } from './hall-calendar';

// Any constant: one pass at a time across every central process (the others skip that round).
const ESCALATION_LOCK = 7_304_217;

/**
 * Feedback whose deadline came within a working day, or passed, since its hall last heard of it: a new
 * `feedback.status` row for each (the hall dashboard's reminder, the leader's overdue list). Only a change
 * of level writes a row, so a pass run twice, or by two processes one after the other, writes nothing more.
 * 'busy': another process holds the pass.
 */
export async function escalationPass(db: Db, clock: CaseworkClock): Promise<{ written: number } | 'busy'> {
  return inTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ got: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS got', [ESCALATION_LOCK]);
    if (!rows[0]!.got) return 'busy' as const;
    const at = clock.now().toISOString();
    const cal = await HallCalendars.load(tx);
    const todayOf = (hallId: string) => cal.today(hallId, clock);
    const items = await feedbackStore.running(tx, OPEN_FEEDBACK_STATUSES);
    const sent = await feedbackStore.sentEscalations(
      tx,
      items.map((f) => f.feedbackId),
    );
    let written = 0;
    for (const f of items) {
      if (escalationOf(cal, todayOf(f.hallId), f) === (sent.get(f.feedbackId) ?? 'none')) continue;
      await publishFeedback(tx, cal, todayOf, at, f.feedbackId);
      written += 1;
    }
    return { written };
  });
}

/** A minute past the next midnight in this zone, when "today" moves on there. */
function nextRunIn(clock: CaseworkClock, timeZone: string): number {
  const tomorrow = new Date(Date.parse(`${clock.today(timeZone)}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return startOfLocalDate(tomorrow, timeZone).getTime() + 60_000 - clock.now().getTime();
}

/** The next run: a minute past the first of the halls' midnights (halls in several zones get one run each). */
async function msToNextRun(db: Db, clock: CaseworkClock): Promise<number> {
  const zones = new Set([DEFAULT_HALL_TIME_ZONE, ...(await hallStore.zones(db)).values()]);
  return Math.max(1_000, Math.min(...[...zones].map((z) => nextRunIn(clock, z))));
}

/** The pass now and then daily; answers the function that stops it (after a pass under way has ended). */
export function startEscalationJob(db: Db, clock: CaseworkClock, log: FastifyBaseLogger): () => Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const pass = async () => {
    try {
      const r = await escalationPass(db, clock);
      if (r !== 'busy' && r.written > 0) log.info({ written: r.written }, 'feedback escalation');
    } catch (e) {
      log.error({ err: e }, 'feedback escalation failed');
    }
    if (stopped) return;
    const wait = await msToNextRun(db, clock).catch((e: unknown) => {
      log.error({ err: e }, 'reading the halls’ zones failed: the next escalation pass runs in an hour');
      return 3_600_000;
    });
    if (stopped) return;
    timer = setTimeout(run, wait);
    timer.unref();
  };
  const run = () => {
    current = pass();
  };
  run();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await current;
  };
}
