// Sync catch-up as a hall meets it: a counter device back after offline days (lib/intake-backlog.ts)
// enrolls with central (its own process, lib/central.ts) and runs one sync round with its real engine
// and batch size; the figure is that round's time until the outbox is empty. Beside it, the same rows
// inserted straight into PostgreSQL (lib/raw-pg.ts), one commit per row and one per batch. Each run has
// a fresh central database and a fresh copy of the device.
import fs from 'node:fs';
import path from 'node:path';
import { DATABASE_FILE_NAME } from '../../electron/core/config/paths';
import { DEFAULT_SYNC_TIMING } from '../../electron/core/sync/sync-engine';
import { startIntakeCore } from '../../tests/fixtures/intake-core';
import { startCentralProcess, type CentralProcess } from '../lib/central';
import { sizeByTable, type DbSize } from '../lib/dbstat';
import { BACKLOG_HALL, pendingByName, type Backlog } from '../lib/intake-backlog';
import { mutationOutcomes, rawMutationInserts } from '../lib/raw-pg';
import { median, perSecond, ratio } from '../lib/stats';
import { ownedTempDir } from '../lib/processes';

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

async function oneRun(central: CentralProcess, backlog: Backlog) {
  const hall = await central.admin.createHall(BACKLOG_HALL);
  const dir = ownedTempDir('ow-bench-sync-device-');
  try {
    fs.copyFileSync(backlog.file, path.join(dir.dir, DATABASE_FILE_NAME));
    const t = await startIntakeCore(backlog.backOnlineAt, { hallCode: BACKLOG_HALL, dataDir: dir.dir });
    try {
      await t.core.sync.enroll(central.url, await central.admin.code(hall.id, 'counter'));
      const pending = pendingByName(t.peek);
      const logBefore = central.logBytes();
      const t0 = performance.now();
      const round = await t.core.sync.runOnce();
      const ms = performance.now() - t0;
      const left = sum(pendingByName(t.peek));
      if (round !== 'ok' || left > 0) {
        throw new Error(`catch-up round ${round}, ${left} left: ${JSON.stringify(t.core.sync.status())}`);
      }
      const outcomes = await mutationOutcomes(central.databaseUrl);
      const raw = await rawMutationInserts(central.databaseUrl, DEFAULT_SYNC_TIMING.pushBatch);
      return {
        mutations: sum(pending),
        byName: pending,
        seconds: +(ms / 1000).toFixed(2),
        perSecond: perSecond(sum(pending), ms),
        atCentral: outcomes,
        centralLoggedKB: Math.round((central.logBytes() - logBefore) / 1024),
        raw,
        deviceAfter: sizeByTable(t.peek),
      };
    } finally {
      t.stop();
    }
  } finally {
    dir.remove();
  }
}
type Run = Awaited<ReturnType<typeof oneRun>>;

/**
 * `firstCentral`: the first run's central, started by the caller while the backlog was being written
 * (its start is no part of the figure); the figure stops it.
 */
export async function syncCatchUpFigure(
  backlog: Backlog,
  plan: { runs: number },
  firstCentral: ReturnType<typeof startCentralProcess> = startCentralProcess(),
) {
  const runs: Run[] = [];
  let settings: CentralProcess['settings'] | undefined;
  for (let i = 0; i < plan.runs; i++) {
    const central = await (i === 0 ? firstCentral : startCentralProcess());
    if ('skipped' in central) return { figure: { skipped: central.skipped } };
    settings = central.settings;
    try {
      runs.push(await oneRun(central, backlog));
    } finally {
      await central.stop();
    }
  }
  const value = {
    mutations: median(runs.map((r) => r.mutations)),
    seconds: median(runs.map((r) => r.seconds)),
    perSecond: median(runs.map((r) => r.perSecond)),
  };
  const limit = {
    oneCommitPerRowPerSecond: median(runs.map((r) => r.raw.oneCommitPerRowPerSecond)),
    oneCommitPerBatchPerSecond: median(runs.map((r) => r.raw.oneCommitPerBatchPerSecond)),
  };
  const figure = {
    what: `one sync round of a counter device back after ${backlog.intakes} real intakes on offline days (${value.mutations} mutations), batches of ${DEFAULT_SYNC_TIMING.pushBatch} (the device's default), central in its own process`,
    limitWhat: `the same rows central stored in mutations, inserted from another process into a copy of that table: one commit per row, and one per batch of ${DEFAULT_SYNC_TIMING.pushBatch}`,
    central: settings,
    runs: plan.runs,
    value,
    limit,
    ratio: ratio(value.perSecond, limit.oneCommitPerBatchPerSecond),
    ratioWhat: 'mutations per second / one commit per batch',
    ratioPerRow: ratio(value.perSecond, limit.oneCommitPerRowPerSecond),
    goal: '< 5 s and >= 5,000/s for ~10,000 mutations',
    eachRun: runs.map(({ deviceAfter: _d, ...r }) => r),
  };
  // The device of the first run after its catch-up, for the database size figure.
  return { figure, deviceAfter: runs[0]!.deviceAfter as DbSize | undefined };
}
