import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { Dashboard } from '@shared/api';
import { useSessionStore } from './session';

/** A live range is re-read on every change event, at most this often (a busy hall sends many). */
const LIVE_THROTTLE_MS = 2_000;

/**
 * The hall dashboard (`insight.dashboard`) for a range of dates; null dates mean the hall's today. While a
 * page shows it, a range that includes today is re-read on `queue.changed`, `case.changed` and
 * `feedback.changed` (each role receives those it may).
 */
export const useInsightStore = defineStore('insight', () => {
  const range = ref<{ from: string; to: string } | null>(null);
  const dashboard = ref<Dashboard | null>(null);
  /** The hall's today as the core last answered a read without dates; the PC's date may be another. */
  const hallToday = ref<string | null>(null);
  const error = ref<unknown>(null);
  const loading = ref(false);

  let pending: Promise<void> | undefined;
  let again = false;

  function load(): Promise<void> {
    if (pending) {
      again = true;
      return pending;
    }
    loading.value = true;
    pending = (async () => {
      do {
        again = false;
        try {
          const asked = range.value;
          const answer = await useSessionStore()
            .api()
            .call('insight.dashboard', asked ?? {});
          dashboard.value = answer;
          if (!asked) hallToday.value = answer.from;
          error.value = null;
        } catch (e) {
          error.value = e;
        }
      } while (again);
    })().finally(() => {
      pending = undefined;
      loading.value = false;
    });
    return pending;
  }

  function setRange(next: { from: string; to: string } | null) {
    range.value = next;
    return load();
  }

  let stops: (() => void)[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onChange = () => {
    if (!dashboard.value?.live || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void load();
    }, LIVE_THROTTLE_MS);
  };

  function start() {
    const session = useSessionStore();
    stops = [
      session.api().on('queue.changed', onChange),
      session.api().on('case.changed', onChange),
      session.api().on('feedback.changed', onChange),
      watch(
        () => session.connection,
        (now, before) => {
          if (now === 'online' && before === 'offline') void load();
        },
      ),
    ];
    void load();
  }

  function stop() {
    for (const s of stops) s();
    stops = [];
    clearTimeout(timer);
    timer = undefined;
  }

  return { range, dashboard, hallToday, error, loading, load, setRange, start, stop };
});
