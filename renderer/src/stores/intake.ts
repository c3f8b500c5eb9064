import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { Applicant, ApplicantInput, ApplicantKey, ApplicantProfile, Case, Department, Matter } from '@shared/api';
import { localDate } from '@shared/queue/hall-day';
import { ApiCallError } from '../api/api-call-error';
import { errorKey } from '../api/error-key';
import { sendMutation } from '../api/send-mutation';
import { i18n } from '../i18n';
import { useCounterStore, newMutationId, type Notice } from './counter';
import { outcomeHints, type MaterialStatus } from './outcome-hints';
import { useSessionStore } from './session';
import { useSystemStore } from './system';

export type { MaterialStatus } from './outcome-hints';
export type Outcome = 'accept' | 'notice' | 'reject';
export type ApplicantKind = Applicant['kind'];

/** 容缺 default: the core gives tolerated materials this many working days when no date is chosen. */
export const TOLERANCE_DEFAULT_DAYS = 5;

/** Where the intake, feedback and rating refusals have their sentences, by the refusal's reason. */
const REASON_SCOPES = ['intakePage.reasons', 'feedbackPage.reasons', 'feedbackPage.refusals', 'ratingPage.refusals'];

/** A refused call as an i18n key: the page's sentence for the refusal reason when it has one. */
export function describeIntakeError(e: unknown): Notice {
  if (!(e instanceof ApiCallError)) return { key: 'errors.unknown' };
  const reason = (e.details as { reason?: unknown } | undefined)?.reason;
  const key = REASON_SCOPES.map((scope) => `${scope}.${String(reason)}`).find((k) => i18n.global.te(k));
  return typeof reason === 'string' && key ? { key } : { key: errorKey(e) };
}

/** The one-window intake at this counter: applicant, matter, materials, outcome, and the counter's cases. */
export const useIntakeStore = defineStore('intake', () => {
  const session = useSessionStore();
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
  const result = ref<Case | null>(null);
  const cases = ref<Case[]>([]);
  /** Which cases the list shows: taken in today (hall date), all of this device, or those past their promise. */
  const caseScope = ref<'today' | 'all' | 'overdue'>('today');
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
  /** The counter's called or serving ticket: the intake serves it. */
  const ticket = computed(() => counter.current);
  const system = useSystemStore();
  /** Dates the clerk sees are hall dates, in the hall's zone. */
  const today = () => localDate(new Date(), system.timeZone);

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

  async function addWorkingDays(days: number): Promise<string | null> {
    try {
      return (await session.api().call('calendar.addWorkingDays', { from: today(), days })).date;
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
    promisedPreview.value = null;
    if (!next) return;
    const [promised, tolerance] = await Promise.all([
      addWorkingDays(next.promisedDays),
      addWorkingDays(TOLERANCE_DEFAULT_DAYS),
    ]);
    if (matter.value !== next) return;
    promisedPreview.value = promised;
    toleranceDefault.value = tolerance;
    toleranceDueDate.value = tolerance;
  }

  function clearMatter() {
    matter.value = null;
    statuses.value = {};
    result.value = null;
    promisedPreview.value = null;
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
      void loadCases();
      void refreshProfile();
    }
    return created;
  }

  async function loadCases() {
    try {
      cases.value = await session.api().call('case.list', {
        overdueOnly: caseScope.value === 'overdue',
        limit: caseScope.value === 'today' ? 500 : 100,
      });
      casesError.value = null;
    } catch (e) {
      casesError.value = describeIntakeError(e);
    }
  }

  const listedCases = computed(() =>
    caseScope.value === 'today'
      ? cases.value.filter((c) => localDate(new Date(c.createdAt), system.timeZone) === today())
      : cases.value,
  );

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
    result,
    cases,
    caseScope,
    listedCases,
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
    startOver,
    submit,
    loadCases,
    casesOfTicket,
    startLive,
    stopLive,
    today,
  };
});
