import type { Role } from '@shared/api';
import type { DeviceBinding } from './caller';

/** Events about one counter's rating: they go to a rating screen only when it is paired with that counter. */
const COUNTER_RATING_EVENTS = new Set(['rating.requested', 'rating.submitted']);

/**
 * Whether an event its role may hear reaches this session or window: a rating request carries the
 * visit's one-time token, so only the screen paired with that counter receives it. Every transport
 * (WebSocket sessions, Electron windows) asks this after EVENT_ROLES. The binding is looked up only for
 * those events, and then afresh, so a screen unpaired since it connected hears nothing more.
 */
export function eventReaches(
  who: { role: Role; binding: () => DeviceBinding | undefined },
  name: string,
  payload: unknown,
): boolean {
  if (who.role !== 'rate' || !COUNTER_RATING_EVENTS.has(name)) return true;
  const paired = who.binding()?.pairedCounterId;
  return paired !== undefined && paired === (payload as { counterId?: unknown } | null)?.counterId;
}
