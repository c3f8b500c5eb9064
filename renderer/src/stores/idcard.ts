import { defineStore } from 'pinia';
import { ref } from 'vue';
import { idCardErrorDetailsSchema, type IdCard } from '@shared/idcard/card';
import { ApiCallError } from '../api/api-call-error';
import { errorKey } from '../api/error-key';
import type { Notice } from './counter';
import { useSessionStore } from './session';

/** A refused read as the clerk's sentence: each reader failure has its own, an expired card its dates. */
export function describeReadError(e: unknown): Notice {
  const details = e instanceof ApiCallError ? idCardErrorDetailsSchema.safeParse(e.details) : undefined;
  if (!details?.success) return { key: errorKey(e) };
  const d = details.data;
  if (d.reason === 'ID_CARD_EXPIRED') {
    return { key: 'intakePage.idCard.errors.ID_CARD_EXPIRED', params: { from: d.validFrom, to: d.validTo } };
  }
  return { key: `intakePage.idCard.errors.${d.reason}` };
}

/**
 * The ID card on this counter's reader. The card (its photo above all) lives only here, in memory, for
 * the clerk to compare with the person at the window: it is forgotten with the next applicant and never
 * sent anywhere but the lookup (ID number) and the registration form (name).
 */
export const useIdCardStore = defineStore('idcard', () => {
  const session = useSessionStore();
  const card = ref<IdCard | null>(null);
  const reading = ref(false);
  const refusal = ref<Notice | null>(null);

  /** Reads the card; the card read, or null after a refusal (shown in `refusal`). */
  async function read(): Promise<IdCard | null> {
    if (reading.value) return null;
    reading.value = true;
    refusal.value = null;
    try {
      card.value = await session.api().call('idcard.read', {});
      return card.value;
    } catch (e) {
      card.value = null;
      refusal.value = describeReadError(e);
      return null;
    } finally {
      reading.value = false;
    }
  }

  function forget() {
    card.value = null;
    refusal.value = null;
  }

  return { card, reading, refusal, read, forget };
});
