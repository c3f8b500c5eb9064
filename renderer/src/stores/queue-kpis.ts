import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { QueueKpi } from '@shared/api';
import { useSessionStore } from './session';

/** Events may be missed (a socket lost without notice): re-read now and then as well. */
const REFETCH_MS = 30_000;

/**
 * Today's live queue KPIs (`queue.kpis`), re-read on every `queue.changed` and on a slow timer. Between
 * reads nothing waits longer than before except by the passing of time, so the longest wait keeps
 * growing by this PC's monotonic clock from the moment the numbers arrived.
 */
export const useQueueKpiStore = defineStore('queueKpis', () => {
  const kpis = ref<QueueKpi[]>([]);
  const loaded = ref(false);
  const error = ref<unknown>(null);
  const fetchedAt = ref(performance.now());
  const tick = ref(performance.now());

  let users = 0;
  let stops: (() => void)[] = [];
  let loading: Promise<void> | undefined;
  let loadAgain = false;

  function load(): Promise<void> {
    if (loading) {
      loadAgain = true;
      return loading;
    }
    loading = (async () => {
      do {
        loadAgain = false;
        try {
          kpis.value = await useSessionStore().api().call('queue.kpis', {});
          fetchedAt.value = tick.value = performance.now();
          loaded.value = true;
          error.value = null;
        } catch (e) {
          // The timer and the reconnect watcher try again; the last numbers stay on screen meanwhile.
          error.value = e;
        }
      } while (loadAgain);
    })().finally(() => (loading = undefined));
    return loading;
  }

  /** Panels call start/stop as they mount and unmount; the live feed runs while at least one is shown. */
  function start() {
    if (users++ > 0) return;
    const session = useSessionStore();
    const ticker = setInterval(() => (tick.value = performance.now()), 1000);
    const refetch = setInterval(() => void load(), REFETCH_MS);
    stops = [
      session.api().on('queue.changed', () => void load()),
      watch(
        () => session.connection,
        (now, before) => {
          if (now === 'online' && before === 'offline') void load();
        },
      ),
      () => clearInterval(ticker),
      () => clearInterval(refetch),
    ];
    void load();
  }

  function stop() {
    if (--users > 0) return;
    users = 0;
    for (const s of stops) s();
    stops = [];
  }

  const sinceFetchSeconds = computed(() => Math.max(0, Math.floor((tick.value - fetchedAt.value) / 1000)));
  const longestWaitSeconds = (k: QueueKpi): number | null =>
    k.longestWaitSeconds === null ? null : k.longestWaitSeconds + sinceFetchSeconds.value;

  return { kpis, loaded, error, load, start, stop, longestWaitSeconds };
});
