import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { LeaderBundle, LeaderEnrolment, LeaderImportResult, LeaderStorage } from '@shared/api';
import { LEADER_IMPORT_MAX_BYTES } from '@shared/api/methods/leader';
import { ApiCallError } from '../api/api-call-error';
import { errorKey } from '../api/error-key';
import type { Notice } from './counter';
import { useSessionStore } from './session';

/** Why the core refused an enrolment or import, where the page has a sentence of its own for it. */
const REASONS = [
  'login_taken',
  'leader_storage_insecure',
  'leader_not_found',
  'id_taken',
  'file_empty',
  'file_too_large',
  'file_type_mismatch',
] as const;

/** The fields of the enrolment form: a refusal that names one is said under it, by the form. */
export const ENROL_FIELDS = ['login', 'name', 'password'] as const;
export type EnrolField = (typeof ENROL_FIELDS)[number];

const issuePaths = (e: unknown): string[] =>
  e instanceof ApiCallError && e.code === 'INVALID_INPUT'
    ? (((e.details ?? {}) as { issues?: { path: string }[] }).issues ?? []).map((i) => i.path)
    : [];

/** A refusal as a notice: a known reason, else the error code. */
function noticeOf(e: unknown): Notice {
  if (!(e instanceof ApiCallError)) return { key: 'errors.unknown' };
  const reason = REASONS.find((r) => r === (e.details as { reason?: string } | undefined)?.reason);
  return reason ? { key: `leaderAdmin.reasons.${reason}` } : { key: errorKey(e) };
}

/** An import's refusal: a bundle the schema refuses is named by its first invalid field. */
function importNoticeOf(e: unknown): Notice {
  const where = issuePaths(e)[0];
  return where ? { key: 'leaderAdmin.reasons.invalid_field', params: { where } } : noticeOf(e);
}

/**
 * Leader accounts and their content as the administrator manages them on this device, until central
 * sync delivers content. The enrolment (its TOTP secret) is held only until the administrator hides it.
 */
export const useLeaderAdminStore = defineStore('leader-admin', () => {
  const enrolment = shallowRef<LeaderEnrolment | null>(null);
  const imported = shallowRef<LeaderImportResult | null>(null);
  const notice = ref<Notice | null>(null);
  /** The enrolment fields the core refused (the form says each one's rule under it). */
  const refusedFields = ref<EnrolField[]>([]);
  const busy = ref(false);
  /** Whether this device may keep leader content at all (no OS keychain: it may not); null until asked. */
  const storage = shallowRef<LeaderStorage | null>(null);

  const api = () => useSessionStore().api();

  async function run(fn: () => Promise<void>, refusal: (e: unknown) => Notice | null): Promise<boolean> {
    busy.value = true;
    notice.value = null;
    try {
      await fn();
      return true;
    } catch (e) {
      notice.value = refusal(e);
      return false;
    } finally {
      busy.value = false;
    }
  }

  const enrol = (input: { login: string; name: string; password: string }) => {
    refusedFields.value = [];
    return run(
      async () => {
        imported.value = null;
        enrolment.value = await api().call('leader.admin.enrol', input);
      },
      (e) => {
        const paths = issuePaths(e);
        refusedFields.value = ENROL_FIELDS.filter((f) => paths.includes(f));
        return refusedFields.value.length ? null : noticeOf(e);
      },
    );
  };

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
    }, importNoticeOf);

  /** Asked when the page opens: a device without an OS keychain says so before anyone fills the form. */
  async function loadStorage() {
    try {
      storage.value = await api().call('leader.admin.storage', {});
    } catch (e) {
      notice.value = noticeOf(e);
    }
  }

  return { enrolment, imported, notice, refusedFields, busy, storage, enrol, forgetEnrolment, importFile, loadStorage };
});
