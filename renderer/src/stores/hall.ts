import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { HallProfile, HallProfileUpdate } from '@shared/api';
import { useSessionStore } from './session';

/** The hall profile, kept current by the `hall.profile.changed` event. */
export const useHallStore = defineStore('hall', () => {
  const profile = ref<HallProfile | null>(null);
  const error = ref<unknown>(null);
  let unsubscribe: (() => void) | undefined;

  async function load() {
    const api = useSessionStore().api();
    unsubscribe?.();
    unsubscribe = api.on('hall.profile.changed', (next) => (profile.value = next));
    try {
      profile.value = await api.call('hall.profile.get', {});
      error.value = null;
    } catch (e) {
      error.value = e;
    }
  }

  /** Throws ApiCallError on refusal, so the form can show which field is wrong. */
  async function save(update: HallProfileUpdate) {
    profile.value = await useSessionStore().api().call('hall.profile.update', update);
  }

  /** The hall's name for a page in `locale`: English pages use the English name when the hall has one. */
  function nameFor(locale: string): string | undefined {
    const p = profile.value;
    return p && locale.startsWith('en') && p.nameEn ? p.nameEn : p?.name;
  }

  return { profile, error, load, save, nameFor };
});
