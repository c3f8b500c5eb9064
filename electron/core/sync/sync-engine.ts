import type { Database } from 'better-sqlite3';
import type { IntakeStats, SyncStatus, TicketStats } from '@shared/api';
import type { InsightIntakeQuery, InsightTicketsQuery } from '@shared/sync/insight-queries';
import {
  MAX_PUSH_BATCH,
  MAX_PUSH_BYTES,
  MAX_REPLICA_QUERY,
  type ApplicantProfile,
  type DeviceRole,
  type EnrollResponse,
  type PushedMutation,
} from '@shared/sync/wire';
import { ZONE_OF_ROLE, refKindsAllowed } from '@shared/sync/zones';
import type { OutboxEntry, OutboxOutcome, OutboxStore } from '../store/outbox-store';
import type { SyncStateStore } from '../store/sync-state-store';
import { createCentralClient, demoKeyRefusal, SyncError, type CentralClient, type PushBatch } from './central-client';
import { centralFetch, checkCentralUrl, CentralLinkError } from './central-link';
import { createNudgeChannel } from './nudge-channel';
import type { EnrollmentChange, PullApplier } from './pull-appliers';
import type { SecretStore } from './secret-store';
import type { AuditHead } from '@shared/audit/keyed-chain';
import { createWakeableSleep } from './wakeable-sleep';

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
  // As many as central takes in a push (MAX_PUSH_BATCH): a backlog goes in fewer commits, each batch still
  // one transaction acknowledged after it; a single write is sent alone as before.
  pushBatch: MAX_PUSH_BATCH,
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
  /**
   * Applicants' IDs are hashed here under the public demo `idHashKey`: the device enrols only with a demo
   * central, which it asks for, and refuses any central whose answer is not a demo one.
   */
  demoIdHashKey?: boolean;
  now: () => Date;
  random?: () => number;
  fetch?: typeof fetch;
  timing?: Partial<SyncTiming>;
  log?: { warn(obj: object, msg: string): void };
  /** The audit chains' heads, sent with every push for central to anchor. */
  auditHeads?: () => AuditHead[];
  /**
   * Wraps each pull page's transaction so the events its appliers' commands publish go out only once
   * the page has committed (the core passes the event bus's `hold`).
   */
  afterCommit?: <T>(transaction: () => T) => T;
  /** Told what central handed over at each enrolment that is not the sync state's (its leader seal key). */
  enrolled?: (r: EnrollResponse) => void;
}

export type RoundResult = 'ok' | 'failed' | 'not-enrolled';

/** A finished enrolment, and how many pending rows of the old hall it dropped (see `enroll`). */
export interface EnrollOutcome {
  status: SyncStatus;
  dropped: number;
}

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
  actorStaffId: e.actorStaffId,
});

/**
 * The head of a batch that fits in `maxBytes` of JSON (at least one mutation), with its JSON: archived ticket
 * days come in chunks of a hundred kilobytes, and a backlog of them must not make a push central refuses as
 * too large.
 */
export function withinBytes(batch: readonly PushedMutation[], maxBytes: number): PushBatch {
  const texts: string[] = [];
  let bytes = 0;
  for (const m of batch) {
    const text = JSON.stringify(m);
    bytes += Buffer.byteLength(text);
    if (bytes > maxBytes && texts.length > 0) break;
    texts.push(text);
  }
  return { mutations: batch.slice(0, texts.length), json: `[${texts.join(',')}]` };
}

/** A batch as it is sent: the head of the rows read that fits in one push, and its JSON. */
interface Outgoing extends PushBatch {
  first: PushedMutation;
  last: PushedMutation;
}

function outgoing(rows: readonly OutboxEntry[]): Outgoing | undefined {
  if (rows.length === 0) return undefined;
  const batch = withinBytes(rows.map(toWire), MAX_PUSH_BYTES);
  return { ...batch, first: batch.mutations[0]!, last: batch.mutations.at(-1)! };
}

/**
 * A turn of the event loop, in which a request just handed to fetch is written to its connection: the
 * device's synchronous work after it would otherwise hold the request back until it is done.
 */
const requestLeaves = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The device's sync with central: push the outbox in write order, then pull reference pages. Every
 * SQLite write here is its own short transaction between network calls, never around one.
 */
export function createSyncEngine(deps: SyncEngineDeps) {
  const timing = { ...DEFAULT_SYNC_TIMING, ...deps.timing };
  const random = deps.random ?? Math.random;
  const afterCommit = deps.afterCommit ?? (<T>(transaction: () => T) => transaction());
  let inflight: Promise<RoundResult> | undefined;
  let following: Promise<RoundResult> | undefined;
  let loop: Promise<void> | undefined;
  let stopped = true;
  const { sleep, wake } = createWakeableSleep();
  let nudged = false;
  let enrolling = false;

  /** Through the enrolment's pin (central-link.ts): the nudge stream's way to central. */
  function enrolledFetch(input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> {
    return centralFetch(deps.state.get().enrollment?.centralPin ?? null, deps.fetch)(input, init);
  }

  function client(timeoutMs = timing.requestTimeoutMs) {
    const e = deps.state.get().enrollment;
    const token = deps.secrets.get(CENTRAL_TOKEN_SECRET);
    if (!e || !token) return undefined;
    return createCentralClient({ url: e.centralUrl, token, pin: e.centralPin, fetch: deps.fetch, timeoutMs });
  }

  const nudges = createNudgeChannel({
    connection() {
      const e = deps.state.get().enrollment;
      const token = deps.secrets.get(CENTRAL_TOKEN_SECRET);
      return e && token ? { url: e.centralUrl, token } : undefined;
    },
    onPull: () => engine.nudge(),
    backoffMs: (failures, t) => backoffMs(failures, t, random),
    fetch: enrolledFetch,
    timing: { baseBackoffMs: timing.baseBackoffMs, maxBackoffMs: timing.maxBackoffMs },
    log: deps.log,
  });

  /**
   * Sends again what central acknowledged but no longer holds: its database was restored from an older
   * dump (the dump keeps central's instance id, so nothing else tells). The newest ack is checked every
   * round; when central lacks it, or `everything` (a push met a gap), each replica with acknowledged rows
   * is checked and requeued after central's last seq, older replicas first. Rows central does hold are
   * not sent, and would be answered with their stored outcome if they were.
   */
  async function resendWhatCentralLost(c: CentralClient, everything: boolean) {
    const latest = deps.outbox.latestAck();
    if (!latest) return;
    if (!everything) {
      const held = await c.replicas([latest.replicaId]);
      // Absent: a central without the check, or a replica of another hall; nothing to resend either way.
      if ((held?.get(latest.replicaId) ?? latest.seq) >= latest.seq) return;
    }
    const acked = deps.outbox.ackedThrough();
    for (let i = 0; i < acked.length; i += MAX_REPLICA_QUERY) {
      const chunk = acked.slice(i, i + MAX_REPLICA_QUERY);
      const held = await c.replicas(chunk.map((a) => a.replicaId));
      if (!held) return;
      for (const a of chunk) {
        const lastSeq = held.get(a.replicaId);
        // Absent: a replica of another hall, which this device can no longer push.
        if (lastSeq === undefined || lastSeq >= a.seq) continue;
        deps.log?.warn({ replicaId: a.replicaId, lastSeq, acked: a.seq }, 'central lost acknowledged rows; resending');
        deps.outbox.requeueAfter(a.replicaId, lastSeq);
      }
    }
  }

  /**
   * Pushes the outbox in batches, one at a time: a batch goes only once central has answered the one before
   * (central takes a replica's seqs in order). What the device does between two answers (writing the acks
   * of one, reading the next rows and making them JSON) is done while the batch after them is on its way,
   * so central's work and the device's overlap. A batch's rows stay pending until its acks are committed,
   * and those are committed before the next answer is read; a round that stops mid-way leaves the rows of
   * a batch without an answer pending, to be sent again (central answers a replayed seq from its log).
   */
  async function push(c: CentralClient) {
    await resendWhatCentralLost(c, false);
    let batch = outgoing(deps.outbox.nextBatch(timing.pushBatch));
    // Central's committed outcomes of the batch before `batch`, written once `batch` has left.
    let acks: OutboxOutcome[] | undefined;
    const writeAcks = () => {
      const a = acks;
      acks = undefined;
      if (a) deps.outbox.acknowledge(a, deps.now());
    };
    try {
      while (batch) {
        const { first, last } = batch;
        const answering = c.push(batch, deps.auditHeads?.() ?? []);
        // Its failure is met where it is awaited; until then it must not count as unhandled.
        answering.catch(() => undefined);
        await requestLeaves();
        writeAcks();
        const ahead = outgoing(deps.outbox.pendingAfter(last.replicaId, last.seq, timing.pushBatch));
        const answer = await answering;
        if (answer.kind === 'gap') {
          // Central holds less than it acknowledged (its database was restored): send the rest again.
          if (answer.lastSeq + 1 >= first.seq) {
            throw new SyncError('SEQ_GAP', 'central reported a gap it does not have');
          }
          deps.log?.warn({ replicaId: first.replicaId, lastSeq: answer.lastSeq }, 'central is behind; resending');
          deps.outbox.requeueAfter(first.replicaId, answer.lastSeq);
          if (deps.outbox.pending(first.replicaId, 1)[0]?.seq !== answer.lastSeq + 1) {
            throw new SyncError('SEQ_GAP', `mutations after seq ${answer.lastSeq} are no longer on this device`);
          }
          // Older replicas may have lost acknowledged rows in the same restore.
          await resendWhatCentralLost(c, true);
          batch = outgoing(deps.outbox.nextBatch(timing.pushBatch));
          continue;
        }
        // Central keeps the alarm and applied the batch anyway: the device only has to say so in its log.
        for (const alarm of answer.value.auditAlarms ?? []) deps.log?.warn({ alarm }, 'central flagged an audit chain');
        acks = answer.value.outcomes.map((o) => ({ ...o, replicaId: first.replicaId }));
        if (ahead) batch = ahead;
        else {
          // Rows after the batch's replica, or written since: the outbox's own order, once the acks are in.
          writeAcks();
          batch = outgoing(deps.outbox.nextBatch(timing.pushBatch));
        }
      }
    } finally {
      writeAcks();
    }
  }

  async function pull(c: CentralClient) {
    // Only what central lets this role and zone have: asking for more is refused whole.
    const enrolment = deps.state.get().enrollment!;
    const kinds = refKindsAllowed(Object.keys(deps.appliers), enrolment.role as DeviceRole, enrolment.zone).sort();
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
    const c = enrolling ? undefined : client();
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

  const engine = {
    /**
     * One push-then-pull round that starts after the call: a round already in progress may have read the
     * outbox before the caller's last write, so the caller gets the next round, which callers arriving
     * meanwhile share.
     */
    runOnce(): Promise<RoundResult> {
      if (!inflight) {
        inflight = round().finally(() => (inflight = undefined));
        return inflight;
      }
      following ??= inflight
        .catch(() => undefined)
        .then(() => {
          following = undefined;
          return engine.runOnce();
        });
      return following;
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
      wake();
      await nudges.stop();
      await loop;
      loop = undefined;
    },
    /** The round in progress, if any: other traffic to central (page uploads) waits for it. */
    roundInProgress: (): Promise<RoundResult> | undefined => inflight,
    /** Starts a round now instead of waiting for the next one (after a write, on reconnect, `sync.now`). */
    nudge() {
      nudged = true;
      wake();
    },
    /**
     * Enrols with a one-time code. Rows still pending under the current enrolment first go out with its
     * token; any left (central unreachable or refusing) make this a `PENDING_ROWS` refusal, before the
     * code is spent, unless `force`. Enrolled into another hall, the device can never deliver them
     * (central refuses another hall's replica): they are dropped and counted in `dropped`, with the old
     * hall's pulled reference data. Rows written while the request was on its way are checked again in
     * the switch's transaction: without `force` they refuse it (the code is spent then). Within the same
     * hall the rows stay and go out with the new token; for another leader, the previous leader's pulled
     * content goes. Either way the next write starts a new replica and the pull starts over.
     */
    async enroll(
      centralUrl: string,
      code: string,
      opts: { force?: boolean; pin?: string | null } = {},
    ): Promise<EnrollOutcome> {
      const pin = opts.pin ?? null;
      // Before anything goes out, the old enrolment's rows included: the code must not cross in clear.
      try {
        checkCentralUrl(centralUrl, pin);
      } catch (e) {
        if (e instanceof CentralLinkError) throw new SyncError(e.code, e.message);
        throw e;
      }
      const before = deps.state.get().enrollment;
      if (before && deps.outbox.pendingCount() > 0) await this.runOnce();
      const refusal = (pending: number) =>
        new SyncError('PENDING_ROWS', `${pending} changes of the current enrolment are not at central yet`);
      const pending = before ? deps.outbox.pendingCount() : 0;
      if (pending > 0 && !opts.force) throw refusal(pending);
      // No round may run against the old enrolment across the switch: a pull page committed after it
      // would write the old hall's rows and cursor.
      enrolling = true;
      try {
        await inflight;
        const r = await createCentralClient({
          url: centralUrl,
          pin,
          fetch: deps.fetch,
          timeoutMs: timing.requestTimeoutMs,
        }).enroll(code, deps.deviceName, deps.secrets.get(CENTRAL_TOKEN_SECRET), deps.demoIdHashKey ? true : undefined);
        // Whatever central made of the flag, a device on the demo key keeps only a demo central's token.
        if (deps.demoIdHashKey && !r.demo) throw demoKeyRefusal();
        const change: EnrollmentChange = {
          hall: before !== null && before.hallId !== r.hall.id,
          leader: before !== null && before.leaderId !== r.leaderId,
        };
        // The token first, restored if the switch fails: hall and token change together or not at all.
        // Nothing awaits between the two, so no round or lookup sees one without the other.
        const previousToken = deps.secrets.get(CENTRAL_TOKEN_SECRET);
        deps.secrets.set(CENTRAL_TOKEN_SECRET, r.token);
        let dropped: number;
        try {
          dropped = deps.db
            .transaction(() => {
              const n = change.hall ? deps.outbox.pendingCount() : 0;
              if (n > 0 && !opts.force) throw refusal(n);
              if (change.hall) deps.outbox.forgetAll();
              if (change.hall || change.leader) for (const a of Object.values(deps.appliers)) a.purge?.(change);
              deps.state.enroll({
                centralUrl,
                deviceId: r.deviceId,
                hallId: r.hall.id,
                hallCode: r.hall.code,
                role: r.role,
                leaderId: r.leaderId,
                trackingUrl: r.trackingUrl,
                zone: r.zone ?? ZONE_OF_ROLE[r.role],
                centralPin: pin,
              });
              deps.outbox.startNewReplica();
              return n;
            })
            .immediate();
        } catch (e) {
          if (previousToken === undefined) deps.secrets.delete(CENTRAL_TOKEN_SECRET);
          else deps.secrets.set(CENTRAL_TOKEN_SECRET, previousToken);
          throw e;
        }
        deps.enrolled?.(r);
        if (dropped > 0) {
          deps.log?.warn(
            { dropped, from: before?.hallId, to: r.hall.id },
            'enrolled into another hall: pending rows dropped',
          );
        }
        return { status: this.status(), dropped };
      } finally {
        enrolling = false;
        this.nudge();
        nudges.poke();
      }
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
    async ticketStats(query: InsightTicketsQuery, timeoutMs?: number): Promise<TicketStats> {
      const c = client(timeoutMs);
      if (!c) throw new SyncError('UNAUTHENTICATED', 'this device is not enrolled with central');
      return c.ticketStats(query);
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
