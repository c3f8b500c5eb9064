import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SystemInfo } from '@shared/api';
import { useSessionStore } from './session';

/** Who and where this device is, from `system.info`. */
export const useSystemStore = defineStore('system', () => {
  const info = ref<SystemInfo | null>(null);
  const error = ref<unknown>(null);
  const loading = ref(false);

  async function load() {
    loading.value = true;
    try {
      info.value = await useSessionStore().api().call('system.info', {});
      error.value = null;
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  return { info, error, loading, load };
});
