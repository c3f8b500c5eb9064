import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { SystemInfo } from '@shared/api';
import { DEFAULT_HALL_TIME_ZONE } from '@shared/format/hall-time';
import { useSessionStore } from './session';

/** Who and where this device is, from `system.info`. */
export const useSystemStore = defineStore('system', () => {
  const info = ref<SystemInfo | null>(null);
  const error = ref<unknown>(null);
  const loading = ref(false);
  /** The hall's zone; the usual one until the core has answered. */
  const timeZone = computed(() => info.value?.timeZone ?? DEFAULT_HALL_TIME_ZONE);

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

  return { info, error, loading, timeZone, load };
});
