import type { Database } from 'better-sqlite3';
import type { IntakeStats, SyncStatus, TicketStats } from '@shared/api';
import type { InsightIntakeQuery } from '@shared/sync/insight-intake';
import { MAX_PUSH_BYTES, type ApplicantProfile, type PushedMutation } from '@shared/sync/wire';
import type { OutboxEntry, OutboxStore } from '../store/outbox-store';
import type { SyncStateStore } from '../store/sync-state-store';
import { createCentralClient, SyncError } from './central-client';
import { createNudgeChannel } from './nudge-channel';
import type { PullApplier } from './pull-appliers';
import type { SecretStore } from './secret-store';

export const CENTRAL_TOKEN_SECRET = 'central-token';

export interface SyncTiming {
  pushBatch: number;
  pullPage: number;
  /** Pause between rounds when everything is drained. */
  idleMs: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_SYNC_TIMING: SyncTiming = {
  pushBatch: 200,
  pullPage: 1000,
  idleMs: 15_000,
  baseBackoffMs: 1_000,
  maxBackoffMs: 5 * 60_000,
  requestTimeoutMs: 30_000,
};

export interface SyncEngineDeps {
  db: Database;
  outbox: OutboxStore;
  state: SyncStateStore;
  secrets: SecretStore;
  appliers: Record<string, PullApplier>;
  deviceName: string;
  now: () => Date;
  random?: () => number;
  fetch?: typeof fetch;
  timing?: Partial<SyncTiming>;
  log?: { warn(obj: object, msg: string): void };
  /**
   * Wraps each pull page's transaction so the events its appliers' commands publish go out only once
   * the page has committed (the core passes the event bus's `hold`).
   */
  afterCommit?: <T>(transaction: () => T) => T;
}

export type RoundResult = 'ok' | 'failed' | 'not-enrolled';

/** Exponential backoff with "equal jitter": half the step fixed, half random, so devices spread out. */
export function backoffMs(
  failures: number,
  timing: Pick<SyncTiming, 'baseBackoffMs' | 'maxBackoffMs'>,
  random: () => number,
) {
  const step = Math.min(timing.maxBackoffMs, timing.baseBackoffMs * 2 ** Math.max(0, failures - 1));
  return step / 2 + (random() * step) / 2;
}

const toWire = (e: OutboxEntry): PushedMutation => ({
  replicaId: e.replicaId,
  seq: e.seq,
  mutationId: e.mutationId,
  name: e.name,
  version: e.version,
  args: e.args,
  entityId: e.entityId,
  schemaVersion: e.schemaVersion,
  deviceTime: e.deviceTime,
});

/**
 * The head of a batch that fits in `maxBytes` of JSON (at least one mutation): archived ticket days come
 * in chunks of a hundred kilobytes, and a backlog of them must not make a push central refuses as too large.
 */
export function withinBytes(batch: readonly PushedMutation[], maxBytes: number): PushedMutation[] {
  let bytes = 0;
  const fits = batch.findIndex((m) => (bytes += Buffer.byteLength(JSON.stringify(m))) > maxBytes);
  return batch.slice(0, fits === -1 ? batch.length : Math.max(1, fits));
}

/**
 * The device's sync with central: push the outbox in write order, then pull reference pages. Every
 * SQLite write here is its own short transaction between network calls, never around one.
 */
export function createSyncEngine(deps: SyncEngineDeps) {
  const timing = { ...DEFAULT_SYNC_TIMING, ...deps.timing };
  const random = deps.random ?? Math.random;
  const afterCommit = deps.afterCommit ?? (<T>(transaction: () => T) => transaction());
  let inflight: Promise<RoundResult> | undefined;
  let loop: Promise<void> | undefined;
  let stopped = true;
  let wake: (() => void) | undefined;
  let nudged = false;

  function client(timeoutMs = timing.requestTimeoutMs) {
    const e = deps.state.get().enrollment;
    const token = deps.secrets.get(CENTRAL_TOKEN_SECRET);
    if (!e || !token) return undefined;
    return createCentralClient({ url: e.centralUrl, token, fetch: deps.fetch, timeoutMs });
  }

  const nudges = createNudgeChannel({
    connection() {
      const e = deps.state.get().enrollment;
      const token = deps.secrets.get(CENTRAL_TOKEN_SECRET);
      return e && token ? { url: e.centralUrl, token } : undefined;
    },
    onPull: () => engine.nudge(),
    backoffMs: (failures, t) => backoffMs(failures, t, random),
    fetch: deps.fetch,
    timing: { baseBackoffMs: timing.baseBackoffMs, maxBackoffMs: timing.maxBackoffMs },
    log: deps.log,
  });

  async function push(c: ReturnType<typeof createCentralClient>) {
    for (;;) {
      const batch = deps.outbox.nextBatch(timing.pushBatch);
      const first = batch[0];
      if (!first) return;
      const answer = await c.push(withinBytes(batch.map(toWire), MAX_PUSH_BYTES));
      if (answer.kind === 'gap') {
        // Central holds less than it acknowledged (its database was restored): send the rest again.
        if (answer.lastSeq + 1 >= first.seq) throw new SyncError('SEQ_GAP', 'central reported a gap it does not have');
        deps.log?.warn({ replicaId: first.replicaId, lastSeq: answer.lastSeq }, 'central is behind; resending');
        deps.outbox.requeueAfter(first.replicaId, answer.lastSeq);
        if (deps.outbox.nextBatch(1)[0]?.seq !== answer.lastSeq + 1) {
          throw new SyncError('SEQ_GAP', `mutations after seq ${answer.lastSeq} are no longer on this device`);
        }
        continue;
      }
      deps.outbox.acknowledge(
        answer.value.outcomes.map((o) => ({ ...o, replicaId: first.replicaId })),
        deps.now(),
      );
    }
  }

  async function pull(c: ReturnType<typeof createCentralClient>) {
    const kinds = Object.keys(deps.appliers).sort();
    const kindsKey = kinds.join(',');
    const saved = deps.state.get();
    // A changed list of kinds starts over, so a kind wired in an update is downloaded in full.
    let cursor = saved.cursorKinds === kindsKey ? saved.cursor : '';
    // The cursor of the page where rows still waiting for a later page came from: what is saved meanwhile.
    let held: string | undefined;
    for (;;) {
      const page = await c.pull(cursor, kinds, timing.pullPage);
      const appliers = Object.values(deps.appliers);
      held = afterCommit(() =>
        deps.db
          .transaction(() => {
            if (page.reset) for (const a of appliers) a.reset();
            for (const row of page.rows) deps.appliers[row.kind]?.apply(row);
            for (const a of appliers) a.endPage?.(!page.more);
            const stillHeld = appliers.some((a) => a.waiting?.()) ? (held ?? cursor) : undefined;
            deps.state.setCursor(stillHeld ?? page.cursor, kindsKey);
            return stillHeld;
          })
          .immediate(),
      );
      cursor = page.cursor;
      if (!page.more) return;
    }
  }

  async function round(): Promise<RoundResult> {
    if (deps.db.inTransaction) throw new Error('sync must not run inside a SQLite transaction');
    const c = client();
    if (!c) return 'not-enrolled';
    deps.state.attempted(deps.now());
    try {
      await push(c);
      await pull(c);
      deps.state.succeeded(deps.now());
      return 'ok';
    } catch (e) {
      const msg = e instanceof SyncError ? `${e.code}: ${e.message}` : `INTERNAL: ${(e as Error).message}`;
      deps.state.failed(msg.slice(0, 500), deps.now());
      if (!(e instanceof SyncError)) deps.log?.warn({ err: e }, 'sync round failed');
      return 'failed';
    }
  }

  /**
   * Waits up to `idleMs`, ending early on a nudge or, once enrolled, as soon as a local write is pending
   * (checked each second: a cheap indexed count, and no coupling of every domain write to sync).
   */
  async function idle(watchOutbox: boolean) {
    const until = Date.now() + timing.idleMs;
    while (!stopped && !nudged && Date.now() < until) {
      await sleep(Math.min(1000, until - Date.now()));
      if (stopped) return;
      if (watchOutbox && deps.outbox.pendingCount() > 0) return;
    }
  }

  function sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  const engine = {
    /** One push-then-pull round; concurrent callers share the round in progress. */
    runOnce(): Promise<RoundResult> {
      inflight ??= round().finally(() => (inflight = undefined));
      return inflight;
    },
    /** Runs rounds until stopped: at once while work remains, with backoff after failures. */
    start() {
      if (loop) return;
      stopped = false;
      loop = (async () => {
        let failures = 0;
        while (!stopped) {
          let r: RoundResult;
          // Cleared as the round starts: a nudge that arrives during the round makes another one.
          nudged = false;
          try {
            r = await this.runOnce();
          } catch {
            break; // the database was closed under the round: the device is shutting down
          }
          if (stopped) break;
          failures = r === 'failed' ? failures + 1 : 0;
          if (r === 'failed') await sleep(backoffMs(failures, timing, random));
          else if (r === 'not-enrolled' || deps.outbox.pendingCount() === 0) await idle(r === 'ok');
        }
      })();
      nudges.start();
    },
    /** Ends the loop; resolves when the round in progress (if any) has finished. */
    async stop() {
      stopped = true;
      wake?.();
      await nudges.stop();
      await loop;
      loop = undefined;
    },
    /** Starts a round now instead of waiting for the next one (after a write, on reconnect, `sync.now`). */
    nudge() {
      nudged = true;
      wake?.();
    },
    async enroll(centralUrl: string, code: string): Promise<SyncStatus> {
      const r = await createCentralClient({
        url: centralUrl,
        fetch: deps.fetch,
        timeoutMs: timing.requestTimeoutMs,
      }).enroll(code, deps.deviceName);
      deps.secrets.set(CENTRAL_TOKEN_SECRET, r.token);
      deps.state.enroll({
        centralUrl,
        deviceId: r.deviceId,
        hallId: r.hall.id,
        hallCode: r.hall.code,
        role: r.role,
        leaderId: r.leaderId,
      });
      this.nudge();
      nudges.poke();
      return this.status();
    },
    /**
     * The central profile of an applicant by ID hash; undefined when central has none. A counter waits
     * for it, so it passes a short `timeoutMs` (a `TIMEOUT` SyncError then).
     */
    async lookupApplicant(idHash: string, timeoutMs?: number): Promise<ApplicantProfile | undefined> {
      const c = client(timeoutMs);
      if (!c) throw new SyncError('UNAUTHENTICATED', 'this device is not enrolled with central');
      return c.lookupApplicant(idHash);
    },
    /**
     * The hall's intake statistics from central, over every device of the hall. The dashboard waits for
     * them, so it passes a short `timeoutMs` (a `TIMEOUT` SyncError then).
     */
    async insightIntake(query: InsightIntakeQuery, timeoutMs?: number): Promise<IntakeStats> {
      const c = client(timeoutMs);
      if (!c) throw new SyncError('UNAUTHENTICATED', 'this device is not enrolled with central');
      return c.insightIntake(query);
    },

    /**
     * The ticket statistics of the archived hall days central holds for this device's hall; the dashboard
     * waits for them only when the hub is down, so it passes a short `timeoutMs`.
     */
    async ticketStats(range: { from: string; to: string; timeZone: string }, timeoutMs?: number): Promise<TicketStats> {
      const c = client(timeoutMs);
      if (!c) throw new SyncError('UNAUTHENTICATED', 'this device is not enrolled with central');
      return c.ticketStats(range);
    },
    status(): SyncStatus {
      const s = deps.state.get();
      return {
        enrolled: s.enrollment !== null && deps.secrets.get(CENTRAL_TOKEN_SECRET) !== undefined,
        centralUrl: s.enrollment?.centralUrl ?? null,
        hallCode: s.enrollment?.hallCode ?? null,
        deviceId: s.enrollment?.deviceId ?? null,
        replicaId: deps.outbox.activeReplicaId(),
        pendingCount: deps.outbox.pendingCount(),
        lastAttemptAt: s.lastAttemptAt,
        lastSuccessAt: s.lastSuccessAt,
        lastError: s.lastError,
        lastErrorAt: s.lastErrorAt,
        running: loop !== undefined,
      };
    },
    /** Whether central's nudge stream is open now. */
    nudgeStreamOpen: () => nudges.isOpen(),
  };
  return engine;
}
export type SyncEngine = ReturnType<typeof createSyncEngine>;
