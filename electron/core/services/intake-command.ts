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

  function replay<T>(mutationId: string, method: string): T | undefined {
    const seen = log.get(mutationId);
    if (!seen) return undefined;
    if (seen.method !== method) {
      throw new AppError('CONFLICT', 'mutation id already used by another command', { reason: 'MUTATION_ID_REUSED' });
    }
    return JSON.parse(seen.result) as T;
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

  return {
    atomic,
    /** The stored answer of a command already run, checked before any slow lookup outside the transaction. */
    replay,
    /** A command run once per mutation id: a retry gets the first answer back. */
    run<T>(mutationId: string, method: string, fn: (ctx: CommandContext) => T): T {
      let replayed: T | undefined;
      const result = atomic(
        (ctx) => {
          replayed = replay<T>(mutationId, method);
          return replayed === undefined ? fn(ctx) : replayed;
        },
        (value, at) => {
          if (replayed === undefined) log.put(mutationId, method, value, at.toISOString());
        },
      );
      return result;
    },
  };
}
export type CommandRunner = ReturnType<typeof createCommandRunner>;
