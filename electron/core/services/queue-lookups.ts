import { AppError, type CounterView, type Ticket } from '@shared/api';
import type { Caller } from '../api/caller';

/** What the intake needs from the hall queue, which may live on the hub: asked before the transaction. */
export interface QueueLookups {
  /** The counter as its signed-in clerk sees it (refused when the caller is not signed in there). */
  counter(counterId: string, caller: Caller): Promise<CounterView>;
  ticket(ticketId: string, caller: Caller): Promise<Ticket>;
}

/** The counter a visit happens at and the ticket it serves, checked to be called there. */
export async function counterVisit(
  queue: QueueLookups,
  counterId: string,
  ticketId: string | null,
  caller: Caller,
): Promise<{ counter: CounterView; ticket: Ticket | null }> {
  const counter = await queue.counter(counterId, caller);
  const ticket = ticketId ? await queue.ticket(ticketId, caller) : null;
  if (ticket && ticket.counterId !== counterId) {
    throw new AppError('CONFLICT', `ticket ${ticket.number} is not served at this counter`, {
      reason: 'TICKET_NOT_AT_COUNTER',
    });
  }
  return { counter, ticket };
}
