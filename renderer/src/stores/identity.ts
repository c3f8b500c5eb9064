import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { MethodInput } from '@shared/api';
import type { IdentitySession } from '@shared/api/methods/identity';
import type { Person } from '@shared/identity/staff';
import { ApiCallError } from '../api/api-call-error';
import { errorKey } from '../api/error-key';
import { useSessionStore } from './session';

/** A message for the page: an i18n key and its parameters, translated where it is shown. */
export interface IdentityNotice {
  key: string;
  params?: Record<string, string | number>;
}

/** Why a session lost its person (details.ended of a SIGN_IN_REQUIRED refusal, or the page's own idle lock). */
export type EndedReason = 'idle' | 'signed_in_elsewhere' | 'account_disabled' | 'signed_out' | 'taken_over';
const ENDED: readonly string[] = ['idle', 'signed_in_elsewhere', 'account_disabled', 'signed_out', 'taken_over'];

const detailsOf = (e: unknown): Record<string, unknown> =>
  e instanceof ApiCallError ? ((e.details ?? {}) as Record<string, unknown>) : {};

/** The reason of a refusal (details.reason), if it has one. */
export const refusalReason = (e: unknown): string | undefined => {
  const r = detailsOf(e).reason;
  return typeof r === 'string' ? r : undefined;
};

/** Why a SIGN_IN_REQUIRED refusal came: the ended session's reason, or undefined (never signed in). */
export function endedReasonOf(e: unknown): EndedReason | undefined {
  if (!(e instanceof ApiCallError) || e.code !== 'SIGN_IN_REQUIRED') return undefined;
  const ended = detailsOf(e).ended;
  return typeof ended === 'string' && ENDED.includes(ended) ? (ended as EndedReason) : undefined;
}

/**
 * A refused sign-in as a sentence: wrong credentials (with attempts left), a lockout (with seconds), a
 * disabled account, a role that may not sign in here, a counter this PC is not bound to.
 * `withTotp`: the admin page's form (password and code), whose wrong-credential sentence names the code too.
 */
export function describeSignInError(e: unknown, withTotp = false): IdentityNotice {
  const details = detailsOf(e);
  switch (refusalReason(e)) {
    case 'WRONG_CREDENTIALS': {
      const key = withTotp ? 'identity.reasons.WRONG_CREDENTIALS_TOTP' : 'identity.reasons.WRONG_CREDENTIALS';
      const left = details.attemptsLeft;
      return typeof left === 'number' ? { key, params: { attemptsLeft: left } } : { key: `${key}_PLAIN` };
    }
    case 'ACCOUNT_LOCKED':
      return {
        key: 'identity.reasons.ACCOUNT_LOCKED',
        params: { seconds: Math.max(1, Math.ceil(Number(details.retryAfterSeconds ?? 60))) },
      };
    case 'ACCOUNT_DISABLED':
      return { key: 'identity.reasons.ACCOUNT_DISABLED' };
    case 'STAFF_ROLE_REQUIRED':
      return { key: 'identity.reasons.STAFF_ROLE_REQUIRED' };
    case 'COUNTER_NOT_BOUND':
      return typeof details.counterNumber === 'number'
        ? { key: 'identity.reasons.COUNTER_NOT_BOUND', params: { number: details.counterNumber } }
        : { key: 'identity.reasons.COUNTER_NOT_BOUND_PLAIN' };
    default:
      return { key: errorKey(e) };
  }
}

/**
 * Who is signed in on this page's session: the person, the admin page's idle lock, the counters this
 * device is bound to, and why the page went back to its sign-in. The counter's PIN sign-in lives in the
 * counter store (it opens a counter); it hands the person here.
 */
export const useIdentityStore = defineStore('identity', () => {
  const session = useSessionStore();

  const person = ref<Person | null>(null);
  const idleLockSeconds = ref<number | null>(null);
  const boundCounterIds = ref<string[] | null>(null);
  /** A new device with no hall administrator yet is enrolled first (EnrolFirst.vue). */
  const setup = ref<IdentitySession['setup']>('ready');
  const loaded = ref(false);
  /** Why the page shows its sign-in again (idle, signed in elsewhere, disabled, signed out). */
  const notice = ref<IdentityNotice | null>(null);

  const signedIn = computed(() => person.value !== null);
  const hasRole = (...roles: string[]) => person.value?.roles.some((r) => roles.includes(r)) ?? false;

  function apply(s: IdentitySession) {
    person.value = s.person;
    idleLockSeconds.value = s.idleLockSeconds;
    boundCounterIds.value = s.boundCounterIds;
    setup.value = s.setup;
    loaded.value = true;
  }

  /** The person went away without this page asking: back to the sign-in, saying why. */
  function ended(reason: EndedReason | undefined) {
    const had = person.value !== null;
    person.value = null;
    if (had || reason) notice.value = { key: `identity.ended.${reason ?? 'expired'}` };
  }

  // Any call refused for want of a person means the session lost it (idle, elsewhere, disabled).
  session.onRefusal((e) => {
    if (e.code !== 'SIGN_IN_REQUIRED' || refusalReason(e) === 'NOT_PAIRED') return;
    if (person.value || endedReasonOf(e)) ended(endedReasonOf(e));
  });

  async function load(): Promise<void> {
    apply(await session.api().call('identity.session', {}));
  }

  /** Password and TOTP sign-in (admin page); throws ApiCallError on refusal for the form to show. */
  async function signIn(input: MethodInput<'identity.signIn'>): Promise<void> {
    apply(await session.api().call('identity.signIn', input));
    notice.value = null;
  }

  /** Ends the person's session here; the page shows its sign-in with `why`. */
  async function signOut(why: EndedReason = 'signed_out'): Promise<void> {
    try {
      apply(await session.api().call('identity.signOut', {}));
    } catch {
      // Offline: the core locks the session by itself after its idle time; the page forgets the person now.
    }
    person.value = null;
    notice.value = { key: `identity.ended.${why}` };
  }

  /** The counter page signed a clerk in with a PIN (queue.counter.signIn answers with the person). */
  function setPerson(next: Person | null) {
    person.value = next;
    if (next) notice.value = null;
  }

  return {
    person,
    idleLockSeconds,
    boundCounterIds,
    setup,
    loaded,
    notice,
    signedIn,
    hasRole,
    load,
    signIn,
    signOut,
    setPerson,
    ended,
  };
});
