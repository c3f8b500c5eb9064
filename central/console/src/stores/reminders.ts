import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Reminders } from '@shared/console/feedback';
import { consoleApi } from '../api/console-api';

/** The header's badge: what is due within a working day or overdue, for this person. */
export const useRemindersStore = defineStore('reminders', () => {
  const reminders = ref<Reminders | null>(null);
  const count = computed(() => {
    const r = reminders.value;
    return r ? r.casesDueSoon + r.casesOverdue + r.feedbackDueSoon + r.feedbackOverdue : 0;
  });
  async function refresh() {
    // A failed refresh keeps the last figures; the page's own calls report what is wrong.
    reminders.value = await consoleApi.reminders().catch(() => reminders.value);
  }
  return { reminders, count, refresh };
});
