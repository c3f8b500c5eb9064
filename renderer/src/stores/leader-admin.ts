import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { LeaderBundle, LeaderEnrolment, LeaderImportResult } from '@shared/api';
import { LEADER_IMPORT_MAX_BYTES } from '@shared/api/methods/leader';
import { ApiCallError } from '../api/api-call-error';
import { errorKey } from '../api/error-key';
import type { Notice } from './counter';
import { useSessionStore } from './session';

/** Why the core refused an enrolment or import, where the page has a sentence of its own for it. */
const REASONS = [
  'login_taken',
  'leader_not_found',
  'id_taken',
  'file_empty',
  'file_too_large',
  'file_type_mismatch',
] as const;

/** A refusal as a notice: a known reason, else the first invalid field, else the error code. */
function noticeOf(e: unknown): Notice {
  if (!(e instanceof ApiCallError)) return { key: 'errors.unknown' };
  const details = (e.details ?? {}) as { reason?: string; issues?: { path: string }[] };
  const reason = REASONS.find((r) => r === details.reason);
  if (reason) return { key: `leaderAdmin.reasons.${reason}` };
  const where = details.issues?.[0]?.path;
  if (e.code === 'INVALID_INPUT' && where) return { key: 'leaderAdmin.reasons.invalid_field', params: { where } };
  return { key: errorKey(e) };
}

/**
 * Leader accounts and their content as the administrator manages them on this device, until central
 * sync delivers content. The enrolment (its TOTP secret) is held only until the administrator hides it.
 */
export const useLeaderAdminStore = defineStore('leader-admin', () => {
  const enrolment = shallowRef<LeaderEnrolment | null>(null);
  const imported = shallowRef<LeaderImportResult | null>(null);
  const notice = ref<Notice | null>(null);
  const busy = ref(false);

  const api = () => useSessionStore().api();

  async function run(fn: () => Promise<void>): Promise<boolean> {
    busy.value = true;
    notice.value = null;
    try {
      await fn();
      return true;
    } catch (e) {
      notice.value = noticeOf(e);
      return false;
    } finally {
      busy.value = false;
    }
  }

  const enrol = (input: { login: string; name: string; password: string }) =>
    run(async () => {
      imported.value = null;
      enrolment.value = await api().call('leader.admin.enrol', input);
    });

  /** The secret must not outlive its one showing: hidden on request and when the page is left. */
  function forgetEnrolment() {
    enrolment.value = null;
  }

  /** Imports a bundle file (JSON, as central would send it); the core validates all of it. */
  const importFile = (file: File) =>
    run(async () => {
      imported.value = null;
      if (file.size > LEADER_IMPORT_MAX_BYTES) {
        notice.value = { key: 'leaderAdmin.reasons.bundle_too_large', params: { mb: LEADER_IMPORT_MAX_BYTES >> 20 } };
        return;
      }
      let bundle: unknown;
      try {
        bundle = JSON.parse(await file.text());
      } catch {
        notice.value = { key: 'leaderAdmin.reasons.not_json' };
        return;
      }
      // Typed only nominally: the core applies the schema to whatever the file holds and says what is wrong.
      imported.value = await api().call('leader.admin.import', bundle as LeaderBundle);
    });

  return { enrolment, imported, notice, busy, enrol, forgetEnrolment, importFile };
});
