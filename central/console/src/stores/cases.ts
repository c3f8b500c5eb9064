import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CaseActionBody, CaseBulkResult, CaseDetail, CaseQueuePage, CaseQueueQuery } from '@shared/console/cases';
import { consoleApi } from '../api/console-api';

export type CaseFilter = Partial<Omit<CaseQueueQuery, 'page' | 'pageSize'>> & { page: number; pageSize: number };

/** The department's cases: the work queue as last loaded, the case open on its page, and the actions. */
export const useCasesStore = defineStore('cases', () => {
  const queue = ref<CaseQueuePage | null>(null);
  const queueLoading = ref(false);
  const queueError = ref<unknown>(null);
  const detail = ref<CaseDetail | null>(null);
  const detailLoading = ref(false);
  const detailError = ref<unknown>(null);
  let queueSeq = 0;

  /** Loads a page of the queue; an answer overtaken by a later filter is dropped. */
  async function loadQueue(filter: CaseFilter) {
    const seq = ++queueSeq;
    queueLoading.value = true;
    try {
      const page = await consoleApi.cases(filter);
      if (seq !== queueSeq) return;
      queue.value = page;
      queueError.value = null;
    } catch (e) {
      if (seq === queueSeq) queueError.value = e;
    } finally {
      if (seq === queueSeq) queueLoading.value = false;
    }
  }

  async function open(caseId: string) {
    detailLoading.value = true;
    if (detail.value?.caseId !== caseId) detail.value = null;
    try {
      detail.value = await consoleApi.case(caseId);
      detailError.value = null;
    } catch (e) {
      detail.value = null;
      detailError.value = e;
    } finally {
      detailLoading.value = false;
    }
  }

  /** One action on the version the handler saw; throws the refusal (a 409 carries the case as it is now). */
  async function act(caseId: string, version: number, act: CaseActionBody) {
    detail.value = await consoleApi.actOnCase(caseId, { version, act });
    return detail.value;
  }

  function showCurrent(current: CaseDetail) {
    detail.value = current;
  }

  async function bulk(items: { caseId: string; version: number }[], act: CaseActionBody): Promise<CaseBulkResult> {
    return consoleApi.bulk({ items, act });
  }

  return {
    queue,
    queueLoading,
    queueError,
    detail,
    detailLoading,
    detailError,
    loadQueue,
    open,
    act,
    showCurrent,
    bulk,
  };
});
