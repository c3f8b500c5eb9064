import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { NoticeDeadLetter } from '@shared/notices/notices';
import { noticesApi } from '../api/notices-api';

/** The SMS notices that could not be sent (dead letters) of the halls the person looks after. */
export const useNoticesStore = defineStore('notices', () => {
  const deadLetters = ref<NoticeDeadLetter[]>([]);
  const loading = ref(false);
  const error = ref<unknown>(null);

  async function load() {
    loading.value = true;
    try {
      deadLetters.value = (await noticesApi.deadLetters()).items;
      error.value = null;
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  /** Back to the outbox: it leaves the list; throws the refusal for the page to show. */
  async function retry(id: string) {
    await noticesApi.retry(id);
    deadLetters.value = deadLetters.value.filter((d) => d.id !== id);
  }

  return { deadLetters, loading, error, load, retry };
});
