import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { Applicant, ApplicantInput, ApplicantKey, ApplicantProfile, Case, Department, Matter } from '@shared/api';
import { localDate } from '@shared/queue/hall-day';
import { newMutationId } from '../api/mutation-id';
import { sendMutation } from '../api/send-mutation';
import { useAttachmentsStore } from './attachments';
import { useCounterStore, type Notice } from './counter';
import { outcomeHints, type MaterialStatus } from './outcome-hints';
import { describeIntakeError } from './refusal-notice';
import { useSessionStore } from './session';
import { useSystemStore } from './system';

export type { MaterialStatus } from './outcome-hints';
export type Outcome = 'accept' | 'notice' | 'reject';
export type ApplicantKind = Applicant['kind'];

/** 容缺 default: the core gives tolerated materials this many working days when no date is chosen. */
export const TOLERANCE_DEFAULT_DAYS = 5;

/** The one-window intake at this counter: applicant, matter, materials, outcome, and the counter's cases. */
export const useIntakeStore = defineStore('intake', () => {
  const session = useSessionStore();
  const attachments = useAttachmentsStore();
  const counter = useCounterStore();

  const profile = ref<ApplicantProfile | null>(null);
  /** The key last looked up and not found: the register form starts from it. */
  const unknownKey = ref<ApplicantKey | null>(null);
  const departments = ref<Department[]>([]);
  const matters = ref<Matter[]>([]);
  const matterQuery = ref('');
  const matter = ref<Matter | null>(null);
  const statuses = ref<Record<string, MaterialStatus>>({});
  const toleranceDueDate = ref<string | null>(null);
  /** Previews from the hall calendar: the promised date and the default 容缺 date if accepted today. */
  const promisedPreview = ref<string | null>(null);
  const toleranceDefault = ref<string | null>(null);
  /** The years each preview counted Monday to Friday for want of a calendar from central. */
  const promisedGaps = ref<number[]>([]);
  const toleranceGaps = ref<number[]>([]);
  const result = ref<Case | null>(null);
  const cases = ref<Case[]>([]);
  /**
   * Which cases the list shows: taken in today (hall date), all of this device, those past their promise,
   * or those waiting for the applicant's 补正.
   */
  const caseScope = ref<'today' | 'all' | 'overdue' | 'supplement'>('today');
  /** Every case of this device waiting for 补正, whatever the list shows: the banner counts them. */
  const supplementCases = ref<Case[]>([]);
  const casesError = ref<Notice | null>(null);
  const pending = ref<string | null>(null);
  const retrying = ref(0);
  const error = ref<Notice | null>(null);

  const applicant = computed(() => profile.value?.applicant ?? null);
  /** A department's name in the page's language; the id until the departments have loaded. */
  const departmentName = (id: string, locale: string): string => {
    const dep = departments.value.find((x) => x.id === id);
    return dep ? (locale === 'zh-CN' ? dep.nameZh : dep.nameEn) : id;
  };
  const hints = computed(() => outcomeHints(matter.value, statuses.value));
  /** The years an acceptance now counts without a calendar: the promise's, and the 容缺 default's while it stands. */
  const yearsWithoutCalendar = computed(() => {
    const tolerance =
      hints.value.tolerated.length > 0 && toleranceDueDate.value === toleranceDefault.value ? toleranceGaps.value : [];
    return [...new Set([...promisedGaps.value, ...tolerance])].sort();
  });
  /** The counter's called or serving ticket: the intake serves it. */
  const ticket = computed(() => counter.current);
  const system = useSystemStore();
  /** The hall's today (queue.hall.clock), null until read: dates never come from this PC's clock. */
  const today = () => counter.hallDay;

  async function guarded<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
    if (pending.value) return undefined;
    pending.value = name;
    error.value = null;
    try {
      return await fn();
    } catch (e) {
      error.value = describeIntakeError(e);
      return undefined;
    } finally {
      pending.value = null;
    }
  }

  /**
   * The first intake action for a called ticket (looking the citizen up, registering, taking a case in)
   * starts its service: the clerk is working on it now. Idempotent per ticket (see counter.startService).
   */
  const beginService = () => counter.startService();

  async function lookup(key: ApplicantKey) {
    void beginService();
    await guarded('lookup', async () => {
      const found = await session.api().call('applicant.lookup', key);
      profile.value = found;
      unknownKey.value = found ? null : key;
      clearMatter();
      if (found) await loadMatters();
    });
  }

  async function register(input: ApplicantInput): Promise<boolean> {
    void beginService();
    const mutationId = newMutationId();
    const saved = await guarded('register', () =>
      sendMutation(
        () => session.api().call('applicant.register', { mutationId, applicant: input }),
        (n) => (retrying.value = n),
      ),
    );
    if (!saved) return false;
    unknownKey.value = null;
    profile.value = await session.api().call('applicant.profile', { applicantId: saved.id });
    clearMatter();
    await loadMatters();
    return true;
  }

  async function refreshProfile() {
    const id = applicant.value?.id;
    if (!id) return;
    try {
      profile.value = await session.api().call('applicant.profile', { applicantId: id });
    } catch {
      // The profile on screen stays; the next lookup shows the news.
    }
  }

  async function loadDepartments() {
    try {
      departments.value = await session.api().call('catalog.departments', {});
    } catch (e) {
      error.value = describeIntakeError(e);
    }
  }

  async function loadMatters() {
    const query = matterQuery.value.trim();
    try {
      matters.value = await session.api().call('catalog.matters', {
        applicantType: applicant.value?.kind,
        ...(query ? { query } : {}),
      });
    } catch (e) {
      error.value = describeIntakeError(e);
    }
  }

  async function addWorkingDays(days: number) {
    try {
      const from = await counter.hallToday();
      if (!from) return null;
      return await session.api().call('calendar.addWorkingDays', { from, days });
    } catch {
      return null;
    }
  }

  async function chooseMatter(next: Matter | null) {
    matter.value = next;
    result.value = null;
    error.value = null;
    // Everything starts missing: the clerk ticks what is on the desk, nothing is assumed.
    statuses.value = Object.fromEntries((next?.materials ?? []).map((m) => [m.id, 'missing' as MaterialStatus]));
    forgetPreviews();
    if (!next) return;
    const [promised, tolerance] = await Promise.all([
      addWorkingDays(next.promisedDays),
      addWorkingDays(TOLERANCE_DEFAULT_DAYS),
    ]);
    if (matter.value !== next) return;
    promisedPreview.value = promised?.date ?? null;
    promisedGaps.value = promised?.yearsWithoutCalendar ?? [];
    toleranceDefault.value = tolerance?.date ?? null;
    toleranceDueDate.value = tolerance?.date ?? null;
    toleranceGaps.value = tolerance?.yearsWithoutCalendar ?? [];
  }

  function forgetPreviews() {
    promisedPreview.value = null;
    promisedGaps.value = [];
    toleranceGaps.value = [];
  }

  /**
   * 全部收齐: the applicant brought everything the matter needs, 容缺 materials included. Optional ones stay
   * as ticked: whether they were handed in is for the clerk to say.
   */
  function markAllReceived() {
    for (const m of matter.value?.materials ?? []) {
      if (m.requirement !== 'optional') statuses.value[m.id] = 'received';
    }
  }

  function clearMatter() {
    attachments.startOver();
    matter.value = null;
    statuses.value = {};
    result.value = null;
    forgetPreviews();
  }

  /** A new applicant at the desk: forgets the one on screen. */
  function startOver() {
    profile.value = null;
    unknownKey.value = null;
    clearMatter();
    error.value = null;
  }

  async function submit(outcome: Outcome, rejectReason?: string): Promise<Case | undefined> {
    const a = applicant.value;
    const m = matter.value;
    const counterId = counter.counterId;
    if (!a || !m || !counterId) return undefined;
    // A date counted without the year's holiday calendar is never promised (the core refuses it too).
    if (outcome === 'accept' && yearsWithoutCalendar.value.length) {
      error.value = { key: 'intakePage.reasons.CALENDAR_MISSING' };
      return undefined;
    }
    const mutationId = newMutationId();
    const materials = m.materials.map((x) => ({ materialId: x.id, status: statuses.value[x.id] ?? 'missing' }));
    const tolerated = materials.some((x) => x.status === 'tolerated');
    const input = {
      mutationId,
      counterId,
      ticketId: ticket.value?.id ?? null,
      applicantId: a.id,
      matterCode: m.code,
      materials,
      outcome,
      ...(outcome === 'reject' ? { rejectReason: rejectReason ?? '' } : {}),
      ...(outcome === 'accept' && tolerated && toleranceDueDate.value
        ? { toleranceDueDate: toleranceDueDate.value }
        : {}),
      ...(attachments.pages.length ? { attachmentDraftId: attachments.draftId } : {}),
    };
    const created = await guarded(outcome, async () => {
      // The case's events follow the start of the service they belong to.
      await beginService();
      return sendMutation(
        () => session.api().call('case.intake', input),
        (n) => (retrying.value = n),
      );
    });
    if (created) {
      result.value = created;
      // Its pages are the case's now: the next intake collects its own.
      attachments.startOver();
      void loadCases();
      void refreshProfile();
    }
    return created;
  }

  async function loadCases() {
    try {
      const [listed, waiting] = await Promise.all([
        session.api().call('case.list', {
          overdueOnly: caseScope.value === 'overdue',
          limit: caseScope.value === 'today' ? 500 : 100,
        }),
        session.api().call('case.list', { state: 'supplement_requested', limit: 500 }),
      ]);
      cases.value = listed;
      supplementCases.value = waiting;
      casesError.value = null;
    } catch (e) {
      casesError.value = describeIntakeError(e);
    }
  }

  const listedCases = computed(() => {
    if (caseScope.value === 'supplement') return supplementCases.value;
    return caseScope.value === 'today'
      ? cases.value.filter((c) => localDate(new Date(c.createdAt), system.timeZone) === today())
      : cases.value;
  });

  /**
   * The applicant brought what the 补正通知 asked for (`received`: positions in the case's list): the case
   * resumes and central is told. False when refused (the reason is in `error`).
   */
  async function receiveSupplement(caseId: string, received: number[], note: string): Promise<boolean> {
    const mutationId = newMutationId();
    const done = await guarded('supplement', () =>
      sendMutation(
        () => session.api().call('case.supplement.receive', { mutationId, caseId, received, note }),
        (n) => (retrying.value = n),
      ),
    );
    if (done) void loadCases();
    return done !== undefined;
  }

  /** Cases taken in for a ticket: the rating request names their matters. */
  const casesOfTicket = (ticketId: string) => cases.value.filter((c) => c.ticketId === ticketId);

  let stopFns: (() => void)[] = [];
  function startLive() {
    stopLive();
    const api = session.api();
    stopFns = [
      api.on('case.changed', ({ caseId }) => {
        void loadCases();
        if (result.value?.id === caseId) {
          void api.call('case.get', { caseId }).then(
            (r) => (result.value = r.case),
            () => undefined,
          );
        }
      }),
      // The citizen rates on the customer screen while the applicant is still on the counter's card.
      api.on('rating.submitted', () => void refreshProfile()),
      watch(
        () => session.connection,
        (state, before) => {
          if (state === 'online' && before === 'offline') void loadCases();
        },
      ),
      watch(caseScope, () => void loadCases()),
    ];
    void loadDepartments();
    void loadCases();
  }
  function stopLive() {
    for (const stop of stopFns) stop();
    stopFns = [];
  }

  return {
    profile,
    unknownKey,
    departments,
    matters,
    matterQuery,
    matter,
    statuses,
    toleranceDueDate,
    toleranceDefault,
    promisedPreview,
    yearsWithoutCalendar,
    result,
    cases,
    caseScope,
    listedCases,
    supplementCases,
    casesError,
    pending,
    retrying,
    error,
    applicant,
    departmentName,
    hints,
    ticket,
    lookup,
    register,
    loadMatters,
    chooseMatter,
    markAllReceived,
    startOver,
    submit,
    loadCases,
    receiveSupplement,
    casesOfTicket,
    startLive,
    stopLive,
    today,
    hallToday: () => counter.hallToday(),
  };
});
