import type pg from 'pg';
import type { MutationRegistry } from '@shared/sync/registry';
import type { MutationOutcome, PushRequest, PushedMutation } from '@shared/sync/wire';
import { maskPhone } from '@shared/validation/mask';
import { anchorHeads } from '../audit-anchor/anchor-service';
import { inTransaction, type Tx } from '../db/pool';
import { mutationLogStore, type LoggedMutation } from '../store/mutation-log-store';
import { Rejection, type Applier } from './appliers';
import { BatchScope } from './batch-scope';
import { IntakeRun, IntakeRunOutOfOrder, IntakeRunRefused, intakeEntry } from './intake-set';

export type PushResult =
  | {
      kind: 'ok';
      lastSeq: number;
      outcomes: MutationOutcome[];
      /** The batch's audit heads anchored in its transaction (anchor-service.ts). */
      anchored: Awaited<ReturnType<typeof anchorHeads>>;
    }
  | { kind: 'gap'; lastSeq: number }
  | { kind: 'foreign-replica' };

export interface PushDeps {
  pool: pg.Pool;
  registry: MutationRegistry;
  appliers: Record<string, Applier>;
  schema: { min: number; max: number };
}

type Device = { id: string; hallId: string; leaderId: string | null; role: string };
type Decided = { status: 'applied' | 'rejected'; result: unknown; keepId: boolean };

/**
 * The mutation as central's log keeps it. A queue ticket's phone is its notice's alone (the notice outbox
 * holds it until sent): the log, which is kept, has it masked.
 */
function logged(m: PushedMutation): PushedMutation {
  if (m.name !== 'queue.ticket.notice' || typeof m.args !== 'object' || m.args === null) return m;
  const args = m.args as Record<string, unknown>;
  return typeof args.phone === 'string' ? { ...m, args: { ...args, phone: maskPhone(args.phone) } } : m;
}

/** Thrown inside the batch's transaction so nothing of a batch that touched a foreign replica commits. */
class ForeignReplica extends Error {}
/** An applier refused a mutation in a batch run without savepoints: what it may have written is rolled back whole. */
class RefusedWithoutSavepoint extends Error {}

/**
 * How a batch is applied: `run`, the counter's intakes by runs (intake-set.ts) and any other mutation by its
 * applier; `rows`, each mutation by its applier; `savepoints`, each applier in a savepoint.
 */
type Mode = 'run' | 'rows' | 'savepoints';

/**
 * Applies a batch (one replica, consecutive seqs: the request schema) in one transaction and one durable
 * commit: the replica locked once, the replayed seqs answered from the log, each new mutation checked and
 * applied, then the log rows and the replica's new seq written together, and the device's audit heads
 * anchored. The answer (the ack) is sent only after that commit, so it only ever describes committed work;
 * an unexpected failure rolls the whole batch back and the device sends it again, answered the same way.
 *
 * A refused mutation must leave nothing behind while the rest of its batch commits, which a savepoint
 * around each applier gives at two round trips a mutation. Refusals are rare, so the batch first runs
 * without them, its intakes by runs; only when a mutation is refused is that run rolled back and the batch
 * run again with a savepoint around each applier, which gives the same outcomes. A run that cannot be sure
 * to read what the mutations one after the other would (intake-set.ts) makes the batch go one by one.
 */
export async function pushBatch(deps: PushDeps, device: Device, batch: PushRequest): Promise<PushResult> {
  let mode: Mode = 'run';
  for (;;) {
    try {
      return await inTransaction(deps.pool, (tx) => applyBatch(deps, tx, device, batch, mode));
    } catch (e) {
      if (e instanceof ForeignReplica) return { kind: 'foreign-replica' };
      if (e instanceof IntakeRunOutOfOrder && mode === 'run') mode = 'rows';
      else if ((e instanceof RefusedWithoutSavepoint || e instanceof IntakeRunRefused) && mode !== 'savepoints') {
        mode = 'savepoints';
      } else throw e;
    }
  }
}

async function applyBatch(deps: PushDeps, tx: Tx, device: Device, batch: PushRequest, mode: Mode): Promise<PushResult> {
  const first = batch.mutations[0]!;
  const replica = await mutationLogStore.lockReplica(
    tx,
    first.replicaId,
    device,
    batch.mutations.map((m) => m.mutationId),
  );
  // A replica is its first pusher's: another device of the hall pushing into it would take the owner's next
  // seq and the owner's own row would be lost. A device enrolled again takes its replicas along (enroll).
  if (replica.hallId !== device.hallId || replica.deviceId !== device.id) throw new ForeignReplica();
  if (first.seq > replica.lastSeq + 1) return { kind: 'gap', lastSeq: replica.lastSeq };

  const replayed = batch.mutations.filter((m) => m.seq <= replica.lastSeq);
  const stored =
    replayed.length > 0
      ? await mutationLogStore.outcomes(tx, first.replicaId, first.seq, replayed.at(-1)!.seq)
      : new Map<number, never>();
  const outcomes: MutationOutcome[] = replayed.map((m) => {
    const s = stored.get(m.seq);
    return s && s.mutationId === m.mutationId
      ? { mutationId: m.mutationId, seq: m.seq, status: s.status, result: s.result }
      : // The device reused a seq for another mutation: it cannot have been applied under that seq.
        { mutationId: m.mutationId, seq: m.seq, status: 'rejected', result: { reason: 'SEQ_REUSED' } };
  });

  const taken = replica.takenIds;
  const scope = new BatchScope();
  const fresh = batch.mutations.slice(replayed.length);
  const decided: Decided[] = [];
  let run: IntakeRun | undefined;
  const endRun = async () => {
    if (!run) return;
    for (const [i, result] of await run.apply(tx, scope, device)) decided[i] = applied(result);
    run = undefined;
  };
  for (const [i, m] of fresh.entries()) {
    const checked = check(deps, device, m, taken.has(m.mutationId));
    if (checked.keepId) taken.add(m.mutationId);
    if ('status' in checked) {
      decided[i] = checked;
      continue;
    }
    const entry = mode === 'run' ? intakeEntry(deps.appliers, m, checked.args) : undefined;
    if (entry) {
      if (run && !run.takes(entry)) await endRun();
      (run ??= new IntakeRun()).add(i, entry);
      continue;
    }
    await endRun();
    decided[i] = await apply(tx, scope, device, m, checked, mode === 'savepoints');
  }
  await endRun();

  const log: LoggedMutation[] = fresh.map((m, i) => {
    const { status, result, keepId } = decided[i]!;
    outcomes.push({ mutationId: m.mutationId, seq: m.seq, status, result });
    return { mutation: logged(m), status, result, keepId };
  });
  await scope.finish(tx);
  if (log.length > 0) await mutationLogStore.record(tx, device, log);
  // In the batch's commit rather than a transaction and a commit of their own after it.
  const anchored = await anchorHeads(tx, device, batch.auditHeads ?? []);
  return { kind: 'ok', lastSeq: Math.max(replica.lastSeq, batch.mutations.at(-1)!.seq), outcomes, anchored };
}

const applied = (result: unknown): Decided => ({ status: 'applied', result: result ?? null, keepId: true });
const rejected = (reason: string, details?: unknown, keepId = true): Decided => ({
  status: 'rejected',
  result: details === undefined ? { reason } : { reason, details },
  keepId,
});

/** A mutation decided without its applier (refused, or only logged), or the applier to run on its args. */
function check(
  deps: PushDeps,
  device: Device,
  m: PushedMutation,
  mutationIdTaken: boolean,
): Decided | { applier: Applier; args: unknown; keepId: true } {
  if (mutationIdTaken) return rejected('DUPLICATE_MUTATION_ID', undefined, false);
  if (m.schemaVersion < deps.schema.min || m.schemaVersion > deps.schema.max) {
    return rejected('SCHEMA_VERSION', { accepted: deps.schema });
  }
  const checked = deps.registry.check(m.name, m.version, m.args, device.role);
  if (!checked.ok) return rejected(checked.reason, checked.issues);
  const applier = deps.appliers[m.name];
  if (!applier) return applied({ logged: true });
  return { applier, args: checked.args, keepId: true };
}

async function apply(
  tx: Tx,
  batch: BatchScope,
  device: Device,
  m: PushedMutation,
  { applier, args }: { applier: Applier; args: unknown },
  savepoint: boolean,
): Promise<Decided> {
  const mark = batch.mark();
  if (savepoint) await tx.query('SAVEPOINT apply');
  try {
    const result = await applier(tx, { mutation: m, args, device, batch });
    if (savepoint) await tx.query('RELEASE SAVEPOINT apply');
    return applied(result);
  } catch (e) {
    if (!(e instanceof Rejection)) throw e;
    if (!savepoint) throw new RefusedWithoutSavepoint();
    await tx.query('ROLLBACK TO SAVEPOINT apply');
    batch.rollbackTo(mark);
    return rejected(e.reason, e.details);
  }
}
