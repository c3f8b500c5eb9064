import { defineStore } from 'pinia';
import { ref } from 'vue';
import type {
  AdminDevice,
  AdminHall,
  EnrolmentCode,
  EnrolmentCodeInput,
  HallCreateInput,
  HallLeader,
  HallUpdateInput,
} from '@shared/console/administration';
import { administrationApi } from '../api/administration-api';

/** Halls the administrator acts for, and the devices, leaders and enrolment codes of the hall open. */
export const useAdminHallsStore = defineStore('adminHalls', () => {
  const halls = ref<AdminHall[]>([]);
  const loading = ref(false);
  const error = ref<unknown>(null);
  const devices = ref<AdminDevice[]>([]);
  const devicesError = ref<unknown>(null);
  const leaders = ref<HallLeader[]>([]);

  async function load() {
    loading.value = true;
    try {
      halls.value = await administrationApi.halls();
      error.value = null;
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }
  const hall = (hallId: string) => halls.value.find((h) => h.id === hallId);

  /** Throws the refusal, for the form to show beside its fields. */
  async function create(input: HallCreateInput) {
    const created = await administrationApi.createHall(input);
    await load();
    return created;
  }
  async function update(hallId: string, input: HallUpdateInput) {
    const updated = await administrationApi.updateHall(hallId, input);
    halls.value = halls.value.map((h) => (h.id === hallId ? updated : h));
    return updated;
  }

  async function loadDevices(hallId: string) {
    try {
      devices.value = await administrationApi.devices(hallId);
      devicesError.value = null;
    } catch (e) {
      devices.value = [];
      devicesError.value = e;
    }
  }
  async function loadLeaders(hallId: string) {
    leaders.value = await administrationApi.leaders(hallId);
  }
  /** The code comes back once: central keeps only its hash. */
  async function enrolmentCode(hallId: string, input: EnrolmentCodeInput): Promise<EnrolmentCode> {
    return administrationApi.enrolmentCode(hallId, input);
  }
  async function revoke(device: AdminDevice) {
    const revoked = await administrationApi.revoke(device.id);
    devices.value = devices.value.map((d) => (d.id === revoked.id ? revoked : d));
    return revoked;
  }

  return {
    halls,
    loading,
    error,
    devices,
    devicesError,
    leaders,
    load,
    hall,
    create,
    update,
    loadDevices,
    loadLeaders,
    enrolmentCode,
    revoke,
  };
});
