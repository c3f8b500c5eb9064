import type pg from 'pg';
import type { MutationRegistry } from '@shared/sync/registry';
import type { MutationOutcome, PushRequest, PushedMutation } from '@shared/sync/wire';
import { maskPhone } from '@shared/validation/mask';
import { inTransaction, type Tx } from '../db/pool';
import { mutationLogStore } from '../store/mutation-log-store';
import { Rejection, type Applier } from './appliers';

export type PushResult =
  | { kind: 'ok'; lastSeq: number; outcomes: MutationOutcome[] }
  | { kind: 'gap'; lastSeq: number }
  | { kind: 'foreign-replica' };

export interface PushDeps {
  pool: pg.Pool;
  registry: MutationRegistry;
  appliers: Record<string, Applier>;
  schema: { min: number; max: number };
}

type One =
  | { kind: 'outcome'; outcome: MutationOutcome; lastSeq: number }
  | { kind: 'gap'; lastSeq: number }
  | { kind: 'foreign-replica' };

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

/**
 * Applies a batch in one transaction: each mutation's seq check, apply (under its own savepoint, so a
 * refused one rolls back alone and is logged as rejected), log row and its replica's new seq, then one
 * durable commit for the whole batch (a commit per mutation kept central waiting on the disk). The answer
 * (the ack) is sent only after that commit, so it only ever describes committed work; an unexpected
 * failure rolls the whole batch back and the device sends it again, answered the same way.
 */
export async function pushBatch(
  deps: PushDeps,
  device: { id: string; hallId: string; leaderId: string | null; role: string },
  batch: PushRequest,
): Promise<PushResult> {
  try {
    return await inTransaction(deps.pool, async (tx): Promise<PushResult> => {
      const outcomes: MutationOutcome[] = [];
      let lastSeq = 0;
      for (const m of batch.mutations) {
        const one = await pushOne(deps, tx, device, m);
        if (one.kind === 'foreign-replica') throw new ForeignReplica();
        if (one.kind === 'gap') return outcomes.length > 0 ? { kind: 'ok', lastSeq: one.lastSeq, outcomes } : one;
        outcomes.push(one.outcome);
        lastSeq = one.lastSeq;
      }
      return { kind: 'ok', lastSeq, outcomes };
    });
  } catch (e) {
    if (e instanceof ForeignReplica) return { kind: 'foreign-replica' };
    throw e;
  }
}

async function pushOne(
  deps: PushDeps,
  tx: Tx,
  device: { id: string; hallId: string; leaderId: string | null; role: string },
  m: PushedMutation,
): Promise<One> {
  const replica = await mutationLogStore.lockReplica(tx, m, device);
  // A replica is its first pusher's: another device of the hall pushing into it would take the owner's next
  // seq and the owner's own row would be lost. A device enrolled again takes its replicas along (enroll).
  if (replica.hallId !== device.hallId || replica.deviceId !== device.id) return { kind: 'foreign-replica' };
  if (m.seq <= replica.lastSeq) {
    const stored = await mutationLogStore.outcome(tx, m.replicaId, m.seq);
    const outcome: MutationOutcome =
      stored && stored.mutationId === m.mutationId
        ? { mutationId: m.mutationId, seq: m.seq, status: stored.status, result: stored.result }
        : // The device reused a seq for another mutation: it cannot have been applied under that seq.
          { mutationId: m.mutationId, seq: m.seq, status: 'rejected', result: { reason: 'SEQ_REUSED' } };
    return { kind: 'outcome', outcome, lastSeq: replica.lastSeq };
  }
  if (m.seq > replica.lastSeq + 1) return { kind: 'gap', lastSeq: replica.lastSeq };

  const decided = await decide(deps, tx, device, m, replica.mutationIdTaken);
  await mutationLogStore.record(tx, logged(m), device, decided, decided.keepId);
  return {
    kind: 'outcome',
    outcome: { mutationId: m.mutationId, seq: m.seq, status: decided.status, result: decided.result },
    lastSeq: m.seq,
  };
}

async function decide(
  deps: PushDeps,
  tx: Tx,
  device: { id: string; hallId: string; leaderId: string | null; role: string },
  m: PushedMutation,
  mutationIdTaken: boolean,
): Promise<{ status: 'applied' | 'rejected'; result: unknown; keepId: boolean }> {
  const reject = (reason: string, details?: unknown, keepId = true) => ({
    status: 'rejected' as const,
    result: details === undefined ? { reason } : { reason, details },
    keepId,
  });
  if (mutationIdTaken) return reject('DUPLICATE_MUTATION_ID', undefined, false);
  if (m.schemaVersion < deps.schema.min || m.schemaVersion > deps.schema.max) {
    return reject('SCHEMA_VERSION', { accepted: deps.schema });
  }
  const checked = deps.registry.check(m.name, m.version, m.args, device.role);
  if (!checked.ok) return reject(checked.reason, checked.issues);
  const applier = deps.appliers[m.name];
  if (!applier) return { status: 'applied', result: { logged: true }, keepId: true };
  await tx.query('SAVEPOINT apply');
  try {
    const result = await applier(tx, { mutation: m, args: checked.args, device });
    await tx.query('RELEASE SAVEPOINT apply');
    return { status: 'applied', result: result ?? null, keepId: true };
  } catch (e) {
    if (!(e instanceof Rejection)) throw e;
    await tx.query('ROLLBACK TO SAVEPOINT apply');
    return reject(e.reason, e.details);
  }
}
