import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { DisplaySettings } from '@shared/api';
import { useSessionStore } from './session';

/**
 * The hall screens' settings as the administrator edits them (they live with the queue, on the hub).
 * Re-read on `queue.changed`, which a save publishes, so two administrators see each other's saves.
 */
export const useDisplaySettingsStore = defineStore('displaySettings', () => {
  const settings = ref<DisplaySettings | null>(null);
  const error = ref<unknown>(null);
  let unsubscribe: (() => void) | undefined;

  async function load() {
    try {
      settings.value = await useSessionStore().api().call('queue.display.settings', {});
      error.value = null;
    } catch (e) {
      error.value = e;
    }
  }

  async function save(next: DisplaySettings) {
    settings.value = await useSessionStore().api().call('queue.display.settings.update', next);
  }

  function start() {
    unsubscribe?.();
    unsubscribe = useSessionStore()
      .api()
      .on('queue.changed', () => void load());
    void load();
  }

  function stop() {
    unsubscribe?.();
    unsubscribe = undefined;
  }

  return { settings, error, load, save, start, stop };
});
