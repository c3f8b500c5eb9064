import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Counter, Queue } from '@shared/api';
import { useSessionStore } from './session';

/**
 * The hall's queues and counters as the administrator edits them, re-read on every `queue.changed`
 * (which every admin upsert publishes) so two administrators see each other's saves.
 */
export const useHallSetupStore = defineStore('hallSetup', () => {
  const queues = ref<Queue[]>([]);
  const counters = ref<Counter[]>([]);
  const error = ref<unknown>(null);
  let unsubscribe: (() => void) | undefined;

  async function load() {
    const api = useSessionStore().api();
    try {
      const [q, c] = await Promise.all([api.call('queue.admin.queues', {}), api.call('queue.counters', {})]);
      queues.value = q;
      counters.value = c;
      error.value = null;
    } catch (e) {
      error.value = e;
    }
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

  return { queues, counters, error, load, start, stop };
});
