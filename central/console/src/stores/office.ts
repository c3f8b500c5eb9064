import { defineStore } from 'pinia';
import { computed, ref, type Ref } from 'vue';
import type {
  OfficeBriefing,
  OfficeBriefingInput,
  OfficeFile,
  OfficeFileInput,
  OfficeLeader,
  OfficeSchedule,
  OfficeScheduleInput,
} from '@shared/console/office';
import { DEFAULT_HALL_TIME_ZONE } from '@shared/format/hall-time';
import { localDate } from '@shared/queue/hall-day';
import { officeApi } from '../api/office-api';
import { addDays, daysOf, rangeOf } from '../views/office/calendar-dates';

export type CalendarMode = 'day' | 'week';

/**
 * The leader's office: the leaders, and for the one open their calendar (a day or a week in their hall's
 * clock), briefings and files. Lists load again after each change, so what shows is what central holds.
 */
export const useOfficeStore = defineStore('office', () => {
  const leaders = ref<OfficeLeader[]>([]);
  const leadersError = ref<unknown>(null);
  const leadersLoading = ref(false);
  const staffId = ref<string | null>(null);
  const leader = computed(() => leaders.value.find((l) => l.staffId === staffId.value) ?? null);
  const timeZone = computed(() => leader.value?.timeZone ?? DEFAULT_HALL_TIME_ZONE);

  async function loadLeaders() {
    leadersLoading.value = true;
    try {
      leaders.value = await officeApi.leaders();
      leadersError.value = null;
    } catch (e) {
      leadersError.value = e;
    } finally {
      leadersLoading.value = false;
    }
  }

  /** One list of the open leader: its items, whether it is loading, why it failed, and its loader. */
  function list<T>(fetch: (id: string) => Promise<T[]>) {
    const items = ref([]) as Ref<T[]>;
    const loading = ref(false);
    const error = ref<unknown>(null);
    async function load() {
      const id = staffId.value;
      if (!id) return;
      loading.value = true;
      try {
        const next = await fetch(id);
        // Another leader opened meanwhile: this answer is not theirs.
        if (id !== staffId.value) return;
        items.value = next;
        error.value = null;
      } catch (e) {
        error.value = e;
      } finally {
        loading.value = false;
      }
    }
    return [items, loading, error, load] as const;
  }

  const mode = ref<CalendarMode>('week');
  const anchor = ref(localDate(new Date(), timeZone.value));
  const days = computed(() => daysOf(anchor.value, mode.value));
  const range = computed(() => rangeOf(days.value, timeZone.value));
  const [schedules, schedulesLoading, schedulesError, loadSchedules] = list<OfficeSchedule>((id) =>
    officeApi.schedules(id, range.value),
  );
  const [briefings, briefingsLoading, briefingsError, loadBriefings] = list<OfficeBriefing>((id) =>
    officeApi.briefings(id),
  );
  const [files, filesLoading, filesError, loadFiles] = list<OfficeFile>((id) => officeApi.files(id));

  /** Opens a leader (from a link): today in their hall, nothing of the previous leader left showing. */
  function open(id: string) {
    if (staffId.value === id) return;
    staffId.value = id;
    anchor.value = localDate(new Date(), timeZone.value);
    schedules.value = [];
    briefings.value = [];
    files.value = [];
  }
  function setMode(m: CalendarMode) {
    mode.value = m;
    void loadSchedules();
  }
  /** The previous or next day or week; 0 is today. */
  function step(direction: -1 | 0 | 1) {
    anchor.value =
      direction === 0
        ? localDate(new Date(), timeZone.value)
        : addDays(anchor.value, direction * (mode.value === 'week' ? 7 : 1));
    void loadSchedules();
  }

  const current = () => staffId.value!;
  async function saveSchedule(input: OfficeScheduleInput, editing: OfficeSchedule | null) {
    const saved = editing
      ? await officeApi.updateSchedule(current(), editing.id, { ...input, version: editing.version })
      : await officeApi.createSchedule(current(), input);
    await loadSchedules();
    return saved;
  }
  async function cancelSchedule(item: OfficeSchedule) {
    await officeApi.cancelSchedule(current(), item.id, item.version);
    await loadSchedules();
  }
  async function saveBriefing(input: OfficeBriefingInput, editing: OfficeBriefing | null) {
    const saved = editing
      ? await officeApi.updateBriefing(current(), editing.id, { ...input, version: editing.version })
      : await officeApi.createBriefing(current(), input);
    await loadBriefings();
    return saved;
  }
  async function withdrawBriefing(item: OfficeBriefing) {
    await officeApi.withdrawBriefing(current(), item.id, item.version);
    await loadBriefings();
  }
  async function uploadFile(input: OfficeFileInput) {
    const saved = await officeApi.uploadFile(current(), input);
    await loadFiles();
    return saved;
  }
  async function withdrawFile(item: OfficeFile) {
    await officeApi.withdrawFile(current(), item.id, item.version);
    await loadFiles();
  }

  return {
    leaders,
    leadersError,
    leadersLoading,
    loadLeaders,
    staffId,
    leader,
    timeZone,
    open,
    mode,
    anchor,
    days,
    setMode,
    step,
    schedules,
    schedulesLoading,
    schedulesError,
    loadSchedules,
    briefings,
    briefingsLoading,
    briefingsError,
    loadBriefings,
    files,
    filesLoading,
    filesError,
    loadFiles,
    saveSchedule,
    cancelSchedule,
    saveBriefing,
    withdrawBriefing,
    uploadFile,
    withdrawFile,
  };
});
