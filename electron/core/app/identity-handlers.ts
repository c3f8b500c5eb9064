import { AppError, type Result } from '@shared/api';
import type { Person } from '@shared/identity/staff';
import type { Caller } from '../api/caller';
import type { Handlers } from '../api/dispatch';
import type { EventBus } from '../api/event-bus';
import type { AuditLog } from '../identity/audit-log';
import { personFrom, valueOf } from '../identity/hub-served';
import type { CounterBinding, IdentityService } from '../identity/identity-service';
import type { LeaderService } from '../services/leader-service';
import type { QueueService } from '../services/queue-service';

type IdentityMethods =
  | 'identity.session'
  | 'identity.signIn'
  | 'identity.signOut'
  | 'staff.list'
  | 'staff.upsert'
  | 'audit.list'
  | 'audit.verify'
  | 'queue.counter.signIn';

/**
 * The contract's sign-in and account methods. On a device with a hub the hub verifies (it is where the
 * hall's accounts live and failures are counted) and this core holds the person on the page's session.
 */
export function identityHandlers(deps: {
  identity: IdentityService;
  audit: AuditLog;
  queue: Pick<QueueService, 'signIn' | 'endClerk' | 'today'>;
  bus: EventBus;
  forwarding?: { call(method: string, input: unknown): Promise<Result<unknown>> };
  bindingOf(caller: Caller): CounterBinding;
}): Pick<Handlers, IdentityMethods> {
  const { identity, audit, queue, bus, forwarding, bindingOf } = deps;
  return {
    'identity.session': (_input, caller) => identity.session(caller, bindingOf(caller)),
    'identity.signIn': async (input, caller) => {
      // With the hub down, this device's own copy of the accounts (pulled from central) answers.
      const atHub = forwarding && (await forwarding.call('identity.signIn', input));
      const hubDown = atHub && !atHub.ok && atHub.error.code === 'UNAVAILABLE';
      // An account this PC never received: the hub being down is the answer, not "wrong password".
      if (hubDown && !identity.knows(input.login)) return valueOf(atHub) as never;
      const person = atHub && !hubDown ? personFrom(atHub) : identity.verifyPassword(input, caller.origin);
      identity.bind(caller, person);
      return identity.session(caller, bindingOf(caller));
    },
    'identity.signOut': (_input, caller) => identity.signOut(caller, bindingOf(caller)),
    'staff.list': () => identity.list(),
    'staff.upsert': (input, caller) => {
      const result = identity.upsert(input, caller);
      if (!result.staff.enabled) queue.endClerk(result.staff.id);
      // Counter views name the clerk on duty: a renamed clerk shows up renamed.
      else bus.publish('queue.changed', { hallDay: queue.today() });
      return result;
    },
    'audit.list': (input) => audit.list(input.limit, input.beforeSeq),
    'audit.verify': () => audit.verify(),
    'queue.counter.signIn': async (input, caller) => {
      let view: ReturnType<QueueService['signIn']>;
      if (forwarding) {
        // Bound here first: a page may not even try a counter this PC is not bound to.
        const bound = bindingOf(caller).counterIds;
        if (bound && !bound.includes(input.counterId)) {
          throw new AppError('FORBIDDEN', 'this PC may not open that counter', { reason: 'COUNTER_NOT_BOUND' });
        }
        view = valueOf(await forwarding.call('queue.counter.signIn', input)) as ReturnType<QueueService['signIn']>;
      } else {
        view = queue.signIn(input, caller);
      }
      // A hub device signing in for its pages holds the counter for the device; the person stays on the page.
      if (!caller.device) identity.bind(caller, view.person);
      return view;
    },
  };
}

/** The leader pane's unlocked session as the person the access check sees. */
export function leaderPersonOf(
  leader: Pick<LeaderService, 'activeLeader'>,
  caller: Caller,
  now: () => Date,
): Person | undefined {
  const l = leader.activeLeader(caller.origin);
  return (
    l && {
      staffId: l.leaderId,
      login: l.leaderId,
      name: l.name,
      roles: ['leader'],
      via: 'leader',
      counterId: null,
      signedInAt: now().toISOString(),
    }
  );
}
