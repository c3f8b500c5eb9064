import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CentralHall } from '@shared/api';
import { ApiCallError } from '../api/api-call-error';
import { useSessionStore } from './session';

type RefKind =
  | 'catalog.department'
  | 'catalog.matter'
  | 'holiday'
  | 'case.status'
  | 'leader.schedule'
  | 'leader.briefing'
  | 'leader.file';

/**
 * Central administration from the admin page. The person signs in at central (login, password, code);
 * central's session token lives only in this store's memory for the page's lifetime, and every call
 * carries it to the core, which relays it to central.
 */
export const useCentralAdminStore = defineStore('centralAdmin', () => {
  const centralUrl = ref('');
  const login = ref('');
  const password = ref('');
  const totp = ref('');
  const sessionToken = ref('');
  const halls = ref<CentralHall[]>([]);
  const busy = ref(false);
  const api = () => useSessionStore().api();
  const access = () => ({ centralUrl: centralUrl.value.trim(), sessionToken: sessionToken.value });

  async function busyWhile<T>(work: () => Promise<T>): Promise<T> {
    busy.value = true;
    try {
      return await work();
    } catch (e) {
      // Central no longer knows the session (expired, signed out, account disabled): show the sign-in again.
      if (e instanceof ApiCallError && e.code === 'UNAUTHENTICATED') sessionToken.value = '';
      throw e;
    } finally {
      busy.value = false;
    }
  }

  /** Each throws ApiCallError on refusal (wrong credentials, invalid data, central unreachable). */
  const loadHalls = () =>
    busyWhile(async () => {
      if (!sessionToken.value) {
        const signedIn = await api().call('central.admin.signIn', {
          centralUrl: centralUrl.value.trim(),
          login: login.value.trim().toLowerCase(),
          password: password.value,
          totp: totp.value,
        });
        sessionToken.value = signedIn.token;
        password.value = '';
        totp.value = '';
      }
      halls.value = await api().call('central.admin.halls', access());
    });
  const createHall = (code: string, name: string) =>
    busyWhile(async () => {
      const hall = await api().call('central.admin.createHall', { ...access(), code, name });
      halls.value = await api().call('central.admin.halls', access());
      return hall;
    });
  const enrollmentCode = (
    hallId: string,
    role: 'kiosk' | 'counter' | 'display' | 'leader' | 'admin',
    leaderId: string,
  ) =>
    busyWhile(() =>
      api().call('central.admin.enrollmentCode', {
        ...access(),
        hallId,
        role,
        leaderId: role === 'leader' ? leaderId : null,
      }),
    );
  const putClerk = (hallId: string, clerkId: string, name: string, pin: string) =>
    busyWhile(() => api().call('central.admin.putClerk', { ...access(), hallId, clerkId, name, pin }));
  const putRef = (kind: RefKind, id: string, hallId: string | null, leaderId: string | null, data: unknown) =>
    busyWhile(() => api().call('central.admin.putRef', { ...access(), kind, id, hallId, leaderId, data }));

  return {
    centralUrl,
    login,
    password,
    totp,
    sessionToken,
    halls,
    busy,
    loadHalls,
    createHall,
    enrollmentCode,
    putClerk,
    putRef,
  };
});
