import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { StaffRole } from '@shared/identity/staff';
import type { ConsolePerson } from '@shared/console/session';
import { ConsoleApiError } from '../api/console-api-error';
import { consoleApi } from '../api/console-api';
import { configureHttp } from '../api/http';

const TOKEN_KEY = 'onewindow.console.session';

/** Why the sign-in page shows: central ended the session, the console signed out after idling, or a sign-out. */
export type SignOutReason = 'expired' | 'idle' | 'signed_out';

function storedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function keepToken(token: string | null) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage refused: the session lasts while the page is open.
  }
}

/**
 * The person signed in at the console. The token lives in sessionStorage (this tab only, gone when it
 * closes); who it belongs to is asked of central on each load, never trusted from storage.
 */
export const useSessionStore = defineStore('session', () => {
  const token = ref<string | null>(storedToken());
  const person = ref<ConsolePerson | null>(null);
  const reason = ref<SignOutReason | null>(null);
  /** When central last answered this session: its idle clock started then. */
  const lastAnswered = ref(Date.now());

  const signedIn = computed(() => !!token.value && !!person.value);
  const roles = computed<readonly StaffRole[]>(() => person.value?.roles ?? []);
  const hasAnyRole = (wanted: readonly StaffRole[]) => wanted.some((r) => roles.value.includes(r));

  function forget(why: SignOutReason | null) {
    token.value = null;
    person.value = null;
    reason.value = why;
    keepToken(null);
  }

  configureHttp({
    token: () => token.value,
    // A call still under way when the person signed out answers 401 for a token that is gone: not news.
    unauthorized: (_e, sent) => {
      if (sent !== null && sent === token.value) forget('expired');
    },
    answered: () => {
      lastAnswered.value = Date.now();
    },
  });

  async function signIn(login: string, password: string, totp: string) {
    const session = await consoleApi.signIn({ login, password, ...(totp ? { totp } : {}) });
    token.value = session.token;
    person.value = session.person;
    reason.value = null;
    lastAnswered.value = Date.now();
    keepToken(session.token);
  }

  /** After a reload: who the stored token belongs to (false: none, or central no longer knows it). */
  async function restore(): Promise<boolean> {
    if (person.value) return true;
    if (!token.value) return false;
    try {
      person.value = (await consoleApi.session()).person;
      return true;
    } catch (e) {
      if (e instanceof ConsoleApiError && e.status === 401) return false;
      throw e;
    }
  }

  /** Keeps central's idle clock in step with a person who is working without sending anything. */
  async function touch() {
    if (!token.value) return;
    await consoleApi.session().catch(() => undefined);
  }

  /** Forgets the session here first (the page leaves at once), then ends it at central. */
  async function signOut(why: SignOutReason = 'signed_out') {
    const ending = token.value;
    forget(why);
    if (ending) await consoleApi.signOut(ending).catch(() => undefined);
  }

  return { token, person, reason, lastAnswered, signedIn, roles, hasAnyRole, signIn, restore, touch, signOut };
});
