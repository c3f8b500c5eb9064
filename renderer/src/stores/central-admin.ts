import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CentralHall } from '@shared/api';
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
 * Central administration from the admin page. The admin token lives only in this store's memory for
 * the page's lifetime; every call carries it to the core, which relays it to central.
 */
export const useCentralAdminStore = defineStore('centralAdmin', () => {
  const centralUrl = ref('');
  const adminToken = ref('');
  const halls = ref<CentralHall[]>([]);
  const busy = ref(false);
  const api = () => useSessionStore().api();
  const access = () => ({ centralUrl: centralUrl.value.trim(), adminToken: adminToken.value });

  async function busyWhile<T>(work: () => Promise<T>): Promise<T> {
    busy.value = true;
    try {
      return await work();
    } finally {
      busy.value = false;
    }
  }

  /** Each throws ApiCallError on refusal (wrong token, invalid data, central unreachable). */
  const loadHalls = () => busyWhile(async () => (halls.value = await api().call('central.admin.halls', access())));
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

  return { centralUrl, adminToken, halls, busy, loadHalls, createHall, enrollmentCode, putClerk, putRef };
});
