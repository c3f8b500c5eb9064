import { AppError, type MethodName, type Result } from '@shared/api';
import { identitySessionSchema } from '@shared/api/methods/identity';
import type { Person } from '@shared/identity/staff';

/**
 * Methods whose state is the hall's, kept on its hub: the queue and the staff accounts (a hall
 * administrator's clerk is one account for every counter). The counter sign-in and the admin sign-in
 * also go there, through local handlers that then hold the person on the page's own session.
 */
export const isHubServed = (method: MethodName): boolean =>
  (method.startsWith('queue.') && method !== 'queue.counter.signIn') || method.startsWith('staff.');

/** The hub's answer as the local handler's own: its refusal passes through unchanged. */
export function valueOf(result: Result<unknown>): unknown {
  if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error.details);
  return result.value;
}

/** The person the hub signed in (identity.signIn answered with its session there). */
export function personFrom(result: Result<unknown>): Person {
  const session = identitySessionSchema.parse(valueOf(result));
  if (!session.person) throw new AppError('UNAVAILABLE', 'the hall hub signed nobody in');
  return session.person;
}
