import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Analysis, AnalysisQueryInput } from '@shared/console/analysis';
import { analysisApi } from '../api/analysis-api';
import { sortRows, type RankingSort, type RankingTable } from '../components/analysis/analysis-columns';

/**
 * The cross-hall analysis of a range: the answer, and the order each ranking is shown (and exported) in.
 * The rankings start by cases accepted, most first.
 */
export const useAnalysisStore = defineStore('analysis', () => {
  const analysis = ref<Analysis | null>(null);
  const loading = ref(false);
  const error = ref<unknown>(null);
  const sort = ref<Record<RankingTable, RankingSort>>({
    halls: { key: 'casesAccepted', order: 'desc' },
    departments: { key: 'casesAccepted', order: 'desc' },
  });

  async function load(query: AnalysisQueryInput) {
    loading.value = true;
    try {
      analysis.value = await analysisApi.analysis(query);
      error.value = null;
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  /** A figure's heading chosen: by it, largest first; chosen again: the other way round. */
  function sortBy(table: RankingTable, key: string) {
    const now = sort.value[table];
    const order = now.key === key ? (now.order === 'desc' ? 'asc' : 'desc') : key === 'name' ? 'asc' : 'desc';
    sort.value = { ...sort.value, [table]: { key, order } };
  }

  const rows = computed(() => ({
    halls: sortRows(analysis.value?.halls ?? [], sort.value.halls),
    departments: sortRows(analysis.value?.departments ?? [], sort.value.departments),
  }));

  return { analysis, loading, error, sort, rows, load, sortBy };
});
