import { AppError, type Result } from '@shared/api';
import { identitySessionSchema } from '@shared/api/methods/identity';
import type { Person } from '@shared/identity/staff';

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
