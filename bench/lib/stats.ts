// Pure arithmetic of the bench: latency summaries, medians of runs, ratios to a limit, and the check that
// the ticket numbers a load got back are unique and gapless. Unit-tested in tests/unit/bench-stats.test.ts.

/** The value at quantile `q` of ascending `sorted` (nearest rank), 0 for no samples. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

const ms3 = (v: number) => +v.toFixed(3);

export interface LatencySummary {
  n: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function summarize(samplesMs: readonly number[]): LatencySummary {
  const s = [...samplesMs].sort((a, b) => a - b);
  return { n: s.length, p50Ms: ms3(quantile(s, 0.5)), p99Ms: ms3(quantile(s, 0.99)), maxMs: ms3(s.at(-1) ?? 0) };
}

/** The median of the runs' values (the lower middle of an even count: never a value no run had). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

/** Events per second: `count` done in `ms` milliseconds of wall time. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? Math.round((count * 1000) / ms) : 0;
}

/** `value / limit` to three places: how much of the limit measured the same way the product reaches. */
export function ratio(value: number, limit: number): number {
  if (!(limit > 0)) throw new Error(`a ratio needs a positive limit, not ${limit}`);
  return +(value / limit).toFixed(3);
}

export interface IssuedNumber {
  queueId: string;
  /** The display number: the queue's prefix letter and its zero-padded daily sequence (A001, A1000). */
  number: string;
}

export interface NumberCheck {
  tickets: number;
  /** No number was handed out twice in a queue. */
  unique: boolean;
  /** Each queue's numbers are exactly 1..n: none skipped. */
  gapless: boolean;
  duplicates: number;
  missing: number;
  /** Numbers that are not a prefix letter and a sequence from 1. */
  malformed: number;
  perQueue: Record<string, number>;
}

/** Whether the numbers a load was given are unique and gapless per queue, as the hub must allocate them. */
export function checkNumbers(issued: readonly IssuedNumber[]): NumberCheck {
  const byQueue = new Map<string, Set<number>>();
  let duplicates = 0;
  let malformed = 0;
  for (const { queueId, number } of issued) {
    const m = /^[A-Z](\d+)$/.exec(number);
    if (!m || Number(m[1]) < 1) {
      malformed++;
      continue;
    }
    const seqs = byQueue.get(queueId) ?? byQueue.set(queueId, new Set()).get(queueId)!;
    const seq = Number(m[1]);
    if (seqs.has(seq)) duplicates++;
    else seqs.add(seq);
  }
  let missing = 0;
  const perQueue: Record<string, number> = {};
  for (const [queueId, seqs] of byQueue) {
    perQueue[queueId] = seqs.size;
    // Distinct numbers of 1..max leave max - size of them out.
    let max = 0;
    for (const seq of seqs) max = Math.max(max, seq);
    missing += max - seqs.size;
  }
  return {
    tickets: issued.length,
    unique: duplicates === 0 && malformed === 0,
    gapless: missing === 0 && malformed === 0,
    duplicates,
    missing,
    malformed,
    perQueue,
  };
}
