import { computed } from 'vue';
import { useRoute, useRouter, type LocationQueryRaw } from 'vue-router';

/**
 * A list's filter lives in the address (?status=…&page=2), so reload, back and a shared link show the same
 * list. `keys` are the filter's names; page and pageSize come with every list.
 */
export function useQueryFilter<K extends string>(keys: readonly K[], defaultPageSize = 20) {
  const route = useRoute();
  const router = useRouter();
  const one = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const filter = computed(() => {
    const q = route.query;
    const values = Object.fromEntries(keys.map((k) => [k, one(q[k])])) as Record<K, string | undefined>;
    return {
      ...values,
      page: Math.max(1, Number(one(q.page) ?? 1) || 1),
      pageSize: Math.min(200, Math.max(1, Number(one(q.pageSize) ?? defaultPageSize) || defaultPageSize)),
    };
  });
  /** A new filter starts at page 1 unless the change is the page itself. */
  function apply(next: Partial<Record<K | 'page' | 'pageSize', string | number | undefined>>) {
    const merged: LocationQueryRaw = { ...route.query, page: undefined, ...next };
    for (const [k, v] of Object.entries(merged)) if (v === undefined || v === '' || v === null) delete merged[k];
    return router.push({ query: merged });
  }
  return { filter, apply };
}
