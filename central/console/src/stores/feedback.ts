import { defineStore } from 'pinia';
import { ref } from 'vue';
import type {
  FeedbackActionBody,
  FeedbackDetail,
  FeedbackQueuePage,
  FeedbackQueueQuery,
} from '@shared/console/feedback';
import { consoleApi } from '../api/console-api';

export type FeedbackFilter = Partial<Omit<FeedbackQueueQuery, 'page' | 'pageSize' | 'ratingOnly'>> & {
  page: number;
  pageSize: number;
  ratingOnly?: 'true';
};

/** Supervision: complaints, suggestions, enquiries and 差评 rectifications, the item open, the actions. */
export const useFeedbackStore = defineStore('feedback', () => {
  const queue = ref<FeedbackQueuePage | null>(null);
  const queueLoading = ref(false);
  const queueError = ref<unknown>(null);
  const detail = ref<FeedbackDetail | null>(null);
  const detailError = ref<unknown>(null);
  let queueSeq = 0;

  async function loadQueue(filter: FeedbackFilter) {
    const seq = ++queueSeq;
    queueLoading.value = true;
    try {
      const page = await consoleApi.feedback(filter);
      if (seq !== queueSeq) return;
      queue.value = page;
      queueError.value = null;
    } catch (e) {
      if (seq === queueSeq) queueError.value = e;
    } finally {
      if (seq === queueSeq) queueLoading.value = false;
    }
  }

  async function open(feedbackId: string) {
    if (detail.value?.feedbackId !== feedbackId) detail.value = null;
    try {
      detail.value = await consoleApi.feedbackItem(feedbackId);
      detailError.value = null;
    } catch (e) {
      detail.value = null;
      detailError.value = e;
    }
  }

  /** One action on the version the person saw; throws the refusal (a 409 carries the item as it is now). */
  async function act(feedbackId: string, version: number, act: FeedbackActionBody) {
    detail.value = await consoleApi.actOnFeedback(feedbackId, { version, act });
    return detail.value;
  }

  return { queue, queueLoading, queueError, detail, detailError, loadQueue, open, act };
});
