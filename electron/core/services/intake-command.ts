import { AppError, type EventName, type EventPayload } from '@shared/api';
import { INTAKE_MUTATIONS, type IntakeMutationArgs, type IntakeMutationName } from '@shared/sync/mutations/intake';
import type { EventBus } from '../api/event-bus';
import type { CommandLogStore } from '../store/command-log-store';
import type { OutboxStore } from '../store/outbox-store';

export interface CommandContext {
  /** Records a mutation for central, in this command's transaction; its args are checked against the sync schema. */
  append<N extends IntakeMutationName>(name: N, args: IntakeMutationArgs<N>, entityId: string): void;
  /** Publishes an event once the transaction has committed. */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
}

/**
 * Runs intake commands: one BEGIN IMMEDIATE transaction each, answered from the command log when the
 * mutation id was seen, with their outbox rows in the same transaction and events only after commit.
 */
export function createCommandRunner(deps: {
  log: CommandLogStore;
  outbox: OutboxStore;
  bus: EventBus;
  now: () => Date;
}) {
  const { log, outbox, bus, now } = deps;

  /** The kept record of a command already run, or undefined; a mutation id of another command is refused. */
  function seen<K>(mutationId: string, method: string): K | undefined {
    const row = log.get(mutationId);
    if (!row) return undefined;
    if (row.method !== method) {
      throw new AppError('CONFLICT', 'mutation id already used by another command', { reason: 'MUTATION_ID_REUSED' });
    }
    return JSON.parse(row.result) as K;
  }

  /** One transaction with its outbox rows; events go out after the commit. */
  function atomic<T>(fn: (ctx: CommandContext) => T, afterWrite?: (value: T, at: Date) => void): T {
    const pending: (() => void)[] = [];
    const result = log.transaction(() => {
      const at = now();
      const value = fn({
        append: (name, args, entityId) => {
          const [mutation, version] = name.split('@') as [string, string];
          outbox.append(
            { name: mutation, version: Number(version), args: INTAKE_MUTATIONS[name].parse(args), entityId },
            at,
          );
        },
        emit: (name, payload) => pending.push(() => bus.publish(name, payload)),
      });
      afterWrite?.(value, at);
      return value;
    });
    for (const e of pending) e();
    return result;
  }

  /**
   * A command run once per mutation id whose log keeps `K`, what its answer is rebuilt from, instead of the
   * answer: a case's answer stored whole was most of the log. The answer is built by `answer` from the kept
   * record the first time too, so a retry's answer equals the first one as long as `answer` reads only
   * what never changes beside the kept record.
   */
  function kept<K, V>(mutationId: string, method: string, fn: (ctx: CommandContext) => K, answer: (k: K) => V): V {
    let replayed = false;
    return atomic(
      (ctx) => {
        const before = seen<K>(mutationId, method);
        replayed = before !== undefined;
        const k = before ?? fn(ctx);
        return { k, answer: answer(k) };
      },
      (value, at) => {
        if (!replayed) log.put(mutationId, method, value.k, at.toISOString());
      },
    ).answer;
  }

  return {
    atomic,
    kept,
    /**
     * The rebuilt answer of a kept command already run, checked before any slow lookup outside the
     * transaction.
     */
    replayKept: <K, V>(mutationId: string, method: string, answer: (k: K) => V): V | undefined => {
      const k = seen<K>(mutationId, method);
      return k === undefined ? undefined : answer(k);
    },
    /** The stored answer of a command already run, checked before any slow lookup outside the transaction. */
    replay: <T>(mutationId: string, method: string): T | undefined => seen<T>(mutationId, method),
    /** A command run once per mutation id whose log keeps its whole (small) answer: a retry gets it back. */
    run: <T>(mutationId: string, method: string, fn: (ctx: CommandContext) => T): T =>
      kept(mutationId, method, fn, (answer) => answer),
  };
}
export type CommandRunner = ReturnType<typeof createCommandRunner>;
