import { defineStore } from 'pinia';
import { ref } from 'vue';
import {
  AUDIT_ALARM_ACKNOWLEDGED,
  consoleAuditAlarmSchema,
  type AuditAlarmAckInput,
  type ConsoleAuditAlarm,
} from '@shared/console/audit-alarms';
import { ConsoleApiError } from '../api/console-api-error';
import { auditAlarmsApi } from '../api/audit-alarms-api';

/** Put the unacknowledged first, then the newest, as central does. */
const ordered = (items: ConsoleAuditAlarm[]) =>
  [...items].sort((a, b) => Number(a.ack !== null) - Number(b.ack !== null) || Number(b.id) - Number(a.id));

/** Devices' audit chain alarms at central, and how many nobody has acknowledged (the navigation's badge). */
export const useAuditAlarmsStore = defineStore('audit-alarms', () => {
  const items = ref<ConsoleAuditAlarm[]>([]);
  const unacknowledged = ref(0);
  const loading = ref(false);
  const error = ref<unknown>(null);

  async function load() {
    loading.value = true;
    try {
      const list = await auditAlarmsApi.list();
      items.value = list.items;
      unacknowledged.value = list.unacknowledged;
      error.value = null;
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  async function refreshCount() {
    // A failed refresh keeps the last count; the page's own calls report what is wrong.
    unacknowledged.value = await auditAlarmsApi
      .count()
      .then((c) => c.unacknowledged)
      .catch(() => unacknowledged.value);
  }

  function put(alarm: ConsoleAuditAlarm) {
    const was = items.value.find((a) => a.id === alarm.id);
    if (was && was.ack === null && alarm.ack !== null) unacknowledged.value = Math.max(0, unacknowledged.value - 1);
    items.value = ordered(items.value.map((a) => (a.id === alarm.id ? alarm : a)));
  }

  /**
   * Acknowledges one alarm. Someone else first: the alarm as it is now (with their acknowledgement) takes its
   * place, and the refusal goes on to the page.
   */
  async function acknowledge(id: string, input: AuditAlarmAckInput) {
    try {
      put(await auditAlarmsApi.acknowledge(id, input));
    } catch (e) {
      if (e instanceof ConsoleApiError && e.code === AUDIT_ALARM_ACKNOWLEDGED) {
        const now = consoleAuditAlarmSchema.safeParse((e.body as { alarm?: unknown } | null)?.alarm);
        if (now.success) put(now.data);
      }
      throw e;
    }
  }

  return { items, unacknowledged, loading, error, load, refreshCount, acknowledge };
});
