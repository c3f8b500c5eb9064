import type { Database } from 'better-sqlite3';
import { backupDatabase, latestBackup } from './backup';

const LABEL = 'daily';
const dayOf = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, '');

/**
 * Takes one online backup per calendar day while the app runs: at start when today's is missing,
 * then checks hourly. Returns a function that stops the schedule.
 */
export function scheduleDailyBackup(
  db: Database,
  opts: { dir: string; keep: number; now?: () => Date; onError?: (e: unknown) => void; checkEveryMs?: number },
): () => void {
  const now = opts.now ?? (() => new Date());
  let running = false;
  const check = async () => {
    if (running || !db.open) return;
    const last = latestBackup(opts.dir, db.name, LABEL);
    const today = dayOf(now());
    if (last && last.includes(`.${LABEL}.${today}-`)) return;
    running = true;
    try {
      await backupDatabase(db, { dir: opts.dir, label: LABEL, now: now(), keep: opts.keep });
    } catch (e) {
      opts.onError?.(e);
    } finally {
      running = false;
    }
  };
  void check();
  const timer = setInterval(() => void check(), opts.checkEveryMs ?? 60 * 60 * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
