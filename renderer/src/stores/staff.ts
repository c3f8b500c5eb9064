import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { MethodInput, MethodOutput } from '@shared/api';
import type { AuditEntry } from '@shared/api/methods/identity';
import type { Staff } from '@shared/identity/staff';
import { useSessionStore } from './session';

type AuditVerdict = MethodOutput<'audit.verify'>;
const AUDIT_PAGE = 100;

/** The hall's staff accounts and its audit log, as the admin page shows and changes them. */
export const useStaffStore = defineStore('staff', () => {
  const staff = ref<Staff[]>([]);
  const error = ref<unknown>(null);
  const audit = ref<AuditEntry[]>([]);
  const auditError = ref<unknown>(null);
  /** More rows may be older than the last one loaded. */
  const auditMore = ref(false);
  const verdict = ref<AuditVerdict | null>(null);

  const api = () => useSessionStore().api();

  async function load() {
    try {
      staff.value = [...(await api().call('staff.list', {}))].sort((a, b) => a.login.localeCompare(b.login));
      error.value = null;
    } catch (e) {
      error.value = e;
    }
  }

  /** Creates or changes an account; answers the TOTP secret to show once when a password was set. */
  async function upsert(input: MethodInput<'staff.upsert'>): Promise<MethodOutput<'staff.upsert'>> {
    const out = await api().call('staff.upsert', input);
    await load();
    return out;
  }

  async function loadAudit(older = false) {
    try {
      const beforeSeq = older ? audit.value.at(-1)?.seq : undefined;
      const rows = await api().call('audit.list', { limit: AUDIT_PAGE, ...(beforeSeq ? { beforeSeq } : {}) });
      audit.value = older ? [...audit.value, ...rows] : rows;
      auditMore.value = rows.length === AUDIT_PAGE;
      auditError.value = null;
    } catch (e) {
      auditError.value = e;
    }
  }

  async function verifyAudit() {
    verdict.value = await api().call('audit.verify', {});
  }

  return { staff, error, audit, auditError, auditMore, verdict, load, upsert, loadAudit, verifyAudit };
});
