// How much each figure measures: the full bench (issue 18's sizes, medians of three runs) and `--quick`,
// the same figures with smaller counts, one run each, to see that everything works in under a minute.

export interface BenchPlan {
  mode: 'full' | 'quick';
  /** Runs per compared figure: the median is reported, every run is kept. */
  runs: number;
  coreTickets: number;
  clients: number;
  loadSeconds: number;
  callNext: { levels: number[]; samples: number };
  backlog: { intakesPerDay: number; days: number };
  dbTickets: number;
  dashboard: { historyTickets: number; reads: number };
  /**
   * Scanned pages of 2 MiB: `uploadPages` for the upload throughput; `outboxPages` uploading while intakes
   * are timed (the 100 MiB in both modes), `latencySamples` intakes timed with and without them.
   * `uploadRuns`: the upload's window is well under a second, so it takes more runs than the others.
   */
  attachments: { uploadPages: number; uploadRuns: number; outboxPages: number; latencySamples: number };
  /** Builds the renderer too and reports its route sizes. */
  bundles: boolean;
}

export const FULL: BenchPlan = {
  mode: 'full',
  runs: 3,
  coreTickets: 5000,
  clients: 50,
  loadSeconds: 30,
  callNext: { levels: [50, 500, 5000], samples: 30 },
  // About 10,000 mutations: three offline days of a busy counter.
  backlog: { intakesPerDay: 1130, days: 3 },
  dbTickets: 10_000,
  dashboard: { historyTickets: 100_000, reads: 3 },
  attachments: { uploadPages: 50, uploadRuns: 5, outboxPages: 50, latencySamples: 30 },
  bundles: true,
};

export const QUICK: BenchPlan = {
  mode: 'quick',
  runs: 1,
  coreTickets: 300,
  clients: 50,
  loadSeconds: 3,
  callNext: { levels: [50, 150, 400], samples: 8 },
  backlog: { intakesPerDay: 20, days: 3 },
  dbTickets: 300,
  dashboard: { historyTickets: 5000, reads: 2 },
  attachments: { uploadPages: 20, uploadRuns: 1, outboxPages: 50, latencySamples: 10 },
  bundles: false,
};
