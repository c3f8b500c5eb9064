import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SyncStatus } from '@shared/api';
import { useSessionStore } from './session';

/** Sync with central as the admin page shows it: enrollment, pending count, last success and error. */
export const useSyncStore = defineStore('sync', () => {
  const status = ref<SyncStatus | null>(null);
  const error = ref<unknown>(null);
  const busy = ref(false);

  async function load() {
    try {
      status.value = await useSessionStore().api().call('sync.status', {});
      error.value = null;
    } catch (e) {
      error.value = e;
    }
  }

  async function busyWhile(work: () => Promise<SyncStatus>) {
    busy.value = true;
    try {
      status.value = await work();
    } finally {
      busy.value = false;
    }
  }

  /** Throws ApiCallError on refusal (bad code, central unreachable). */
  const enroll = (centralUrl: string, code: string, pin?: string) =>
    busyWhile(() =>
      useSessionStore()
        .api()
        .call('sync.enroll', { centralUrl, code, ...(pin ? { pin } : {}) }),
    );
  const syncNow = () => busyWhile(() => useSessionStore().api().call('sync.now', {}));

  return { status, error, busy, load, enroll, syncNow };
});
