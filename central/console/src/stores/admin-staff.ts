import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AdminStaff, StaffQuery } from '@shared/console/administration';
import type { StaffCreateInput, StaffUpdateInput } from '@shared/identity/staff-input';
import { administrationApi } from '../api/administration-api';

/** Staff accounts: the filtered list, and the writes (each refusal thrown for the form that made it). */
export const useAdminStaffStore = defineStore('adminStaff', () => {
  const people = ref<AdminStaff[]>([]);
  const loading = ref(false);
  const error = ref<unknown>(null);
  let filter: Partial<StaffQuery> = {};
  let seq = 0;

  async function load(next: Partial<StaffQuery> = filter) {
    filter = next;
    const mine = ++seq;
    loading.value = true;
    try {
      const list = await administrationApi.staff(next);
      if (mine !== seq) return;
      people.value = list;
      error.value = null;
    } catch (e) {
      if (mine === seq) error.value = e;
    } finally {
      if (mine === seq) loading.value = false;
    }
  }
  /** The list again after a write: the person may have left the filter (disabled, moved to another hall). */
  const after = async <T>(write: Promise<T>) => {
    const value = await write;
    await load();
    return value;
  };

  return {
    people,
    loading,
    error,
    load,
    create: (input: StaffCreateInput) => after(administrationApi.createStaff(input)),
    update: (staffId: string, input: StaffUpdateInput) => after(administrationApi.updateStaff(staffId, input)),
    setEnabled: (staffId: string, enabled: boolean) => after(administrationApi.setEnabled(staffId, enabled)),
    resetPin: (staffId: string, pin: string) => after(administrationApi.resetPin(staffId, pin)),
    resetPassword: (staffId: string, password: string) => after(administrationApi.resetPassword(staffId, password)),
    resetTotp: (staffId: string) => after(administrationApi.resetTotp(staffId)),
  };
});
