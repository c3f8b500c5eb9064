import type { Person } from '@shared/identity/staff';

/** Why a session has no person any more: the page tells the person instead of a bare sign-in form. */
export type EndReason = 'signed_out' | 'idle' | 'signed_in_elsewhere' | 'account_disabled' | 'taken_over';

interface Held {
  person: Person;
  lastActiveMs: number;
  /** Null: no idle lock (a counter stays signed in while the clerk serves; they sign out at the counter). */
  idleMs: number | null;
}

/**
 * Who is signed in on each window, page or socket session (its origin), in memory: a restart signs
 * everybody out, as it should. An origin remembers why its person left so the page can say it.
 */
export function createPersonSessions(now: () => Date) {
  const held = new Map<string, Held>();
  const ended = new Map<string, EndReason>();

  function end(origin: string, reason: EndReason): Person | undefined {
    const h = held.get(origin);
    held.delete(origin);
    if (h) ended.set(origin, reason);
    // Bounded: a long-running browser host sees many short-lived page sessions.
    if (ended.size > 5000) ended.delete(ended.keys().next().value as string);
    return h?.person;
  }

  return {
    bind(origin: string, person: Person, idleMs: number | null) {
      held.set(origin, { person, lastActiveMs: now().getTime(), idleMs });
      ended.delete(origin);
    },
    /**
     * The person on `origin`, refreshed by this use unless `touch` is false (a read the page makes on its
     * own); undefined (and `onIdle` told) once it idled too long.
     */
    current(origin: string, onIdle: (person: Person) => void, touch = true): Person | undefined {
      const h = held.get(origin);
      if (!h) return undefined;
      const t = now().getTime();
      if (h.idleMs !== null && t - h.lastActiveMs >= h.idleMs) {
        end(origin, 'idle');
        onIdle(h.person);
        return undefined;
      }
      if (touch) h.lastActiveMs = t;
      return h.person;
    },
    /** The person without refreshing the idle clock (a status read is not activity). */
    peek: (origin: string): Person | undefined => held.get(origin)?.person,
    endedReason: (origin: string): EndReason | undefined => ended.get(origin),
    end,
    /** Ends every session where `match` holds; returns the origins it ended. */
    endWhere(match: (p: Person) => boolean, reason: EndReason): string[] {
      const gone = [...held].filter(([, h]) => match(h.person)).map(([o]) => o);
      for (const o of gone) end(o, reason);
      return gone;
    },
  };
}
export type PersonSessions = ReturnType<typeof createPersonSessions>;
