import type { Person } from '@shared/identity/staff';
import type { Caller } from '../api/caller';
import { createCallFlow } from '../queue/call-flow';
import { createCounterSessions } from '../queue/counter-sessions';
import { createHallBoard } from '../queue/hall-board';
import { createQueueCommands, type QueueCommandDeps } from '../queue/queue-commands';
import { createQueueSetup } from '../queue/queue-setup';
import { createTicketIssuing } from '../queue/ticket-issuing';

export function createQueueService(
  deps: QueueCommandDeps & {
    /** Checks a clerk's login and PIN (lockout and audit included); throws a typed refusal. */
    verifyPin(login: string, pin: string, origin: string, counterId: string): Person;
    /** Counters the calling PC may sign in at (its hub device entry, or this device's config); null: any. */
    boundCounters(caller: Caller): readonly string[] | null;
  },
) {
  const commands = createQueueCommands(deps);
  return {
    ...createQueueSetup(commands),
    ...createTicketIssuing(commands),
    ...createCounterSessions(commands, deps),
    ...createCallFlow(commands),
    ...createHallBoard(commands),
  };
}
export type QueueService = ReturnType<typeof createQueueService>;
