import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { RatingFigures } from '@shared/console/feedback';
import { consoleApi } from '../api/console-api';

/** The 好差评 rules' figures over a date range and a hall (or every hall the person may see). */
export const useFiguresStore = defineStore('figures', () => {
  const figures = ref<RatingFigures | null>(null);
  const loading = ref(false);
  const error = ref<unknown>(null);
  async function load(query: { from: string; to: string; hallId?: string }) {
    loading.value = true;
    try {
      figures.value = await consoleApi.ratingFigures(query);
      error.value = null;
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }
  return { figures, loading, error, load };
});
