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
  /** How far the core's clock is ahead of this PC's, as of the last `system.info` (0 until then). */
  const coreOffsetMs = ref(0);
  /**
   * The core's time now: what "today" and the hall's dates are counted from. A PC's clock may be minutes off,
   * or on the other side of midnight, from the core that keeps the hall's records.
   */
  const coreNow = (): Date => new Date(Date.now() + coreOffsetMs.value);

  async function load() {
    loading.value = true;
    try {
      const sent = Date.now();
      info.value = await useSessionStore().api().call('system.info', {});
      // The answer was made somewhere between sending and receiving: the middle is the best guess.
      const offset = Date.parse(info.value.serverTime) - (sent + Date.now()) / 2;
      coreOffsetMs.value = Number.isFinite(offset) ? offset : 0;
      error.value = null;
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  return { info, error, loading, timeZone, coreNow, load };
});
