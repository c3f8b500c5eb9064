import { defineStore } from 'pinia';
import { ref } from 'vue';
import type {
  CalendarDayRemove,
  CalendarDayWrite,
  CalendarImport,
  CalendarStatus,
  CalendarView,
} from '@shared/console/calendar';
import { catalogApi } from '../api/catalog-api';

/** The working-day calendar: the year on screen, its writes, and whether next year's is due somewhere. */
export const useCalendarStore = defineStore('calendar', () => {
  const view = ref<CalendarView | null>(null);
  const loading = ref(false);
  const error = ref<unknown>(null);
  const status = ref<CalendarStatus | null>(null);
  let seq = 0;

  async function load(year: number, scope: string) {
    const mine = ++seq;
    loading.value = true;
    try {
      const next = await catalogApi.calendar({ year, scope });
      if (mine !== seq) return;
      view.value = next;
      error.value = null;
    } catch (e) {
      if (mine === seq) error.value = e;
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  /** The banner's question; a failure leaves the last answer (the banner is a reminder, not a gate). */
  async function refreshStatus() {
    try {
      status.value = await catalogApi.calendarStatus();
    } catch {
      // Kept as it was: the next page change asks again.
    }
  }

  /** Each write answers the year as the scope's devices now hold it; the banner may change with it. */
  async function written(next: Promise<CalendarView>) {
    seq++;
    view.value = await next;
    void refreshStatus();
    return view.value;
  }
  const addDay = (body: CalendarDayWrite) => written(catalogApi.addDay(body));
  const removeDay = (body: CalendarDayRemove) => written(catalogApi.removeDay(body));
  const importYear = (body: CalendarImport) => written(catalogApi.importYear(body));

  function reset() {
    status.value = null;
  }

  return { view, loading, error, status, load, refreshStatus, addDay, removeDay, importYear, reset };
});
