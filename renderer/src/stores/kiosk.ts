import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { TICKET_REPRINT_LIMIT, type IssuedTicket, type KioskQueue, type MethodInput } from '@shared/api';
import type { ApplicantType, PriorityClass } from '@shared/queue/priority';
import { ApiCallError } from '../api/api-call-error';
import { isTransient } from '../api/error-key';
import { useSessionStore } from './session';

export type KioskStep = 'start' | 'queues' | 'priority' | 'appointment' | 'result';

/** Seconds without a touch or key before a screen other than the start screen goes back to it. */
export const IDLE_SECONDS = 60;
/** The result screen goes back sooner: the citizen has their ticket and the next person is waiting. */
export const RESULT_SECONDS = 20;
export const CODE_MAX_LENGTH = 12;
export const CODE_MIN_LENGTH = 4;
/** Closing times pass without any event, so the queue list is re-read at least this often. */
const QUEUE_REFRESH_MS = 60_000;
/** `queue.changed` comes with every ticket in a busy hall; one re-read per burst is enough. */
const CHANGE_DEBOUNCE_MS = 300;

/** `byCard`: with the ID card on the kiosk's reader (the ticket then knows its applicant). */
type Action =
  | { kind: 'issue'; input: MethodInput<'queue.ticket.issue'>; byCard?: boolean }
  | { kind: 'checkIn'; input: MethodInput<'queue.appointment.checkIn'> }
  | { kind: 'checkIn'; input: MethodInput<'idcard.appointment.checkIn'>; byCard: true };

/**
 * A new mutation id. crypto.randomUUID exists only in secure contexts; a kiosk browser reaching the hall
 * hub over plain http on the LAN is not one, so build the same v4 UUID from getRandomValues there.
 */
export function newMutationId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Whether a citizen can take a ticket in the queue right now. */
export const queueAvailable = (q: KioskQueue): boolean => q.openNow && q.remainingToday > 0;

/** A queue's HH:MM as people write it (8:30, not 08:30). */
export const clockTime = (hhmm: string): string => hhmm.replace(/^0(\d)/, '$1');

/**
 * Why no queue issues tickets now, when that holds for all of them: before the hall's hours (with the
 * earliest opening) or after them (with tomorrow's). Null while any queue is open or the reasons differ.
 */
export function hallClosed(queues: readonly KioskQueue[]): { hours: 'not_yet' | 'over'; opensAt: string } | null {
  if (queues.length === 0 || queues.some((q) => q.hours === 'open')) return null;
  const hours = queues[0]!.hours;
  if (hours === 'open' || queues.some((q) => q.hours !== hours)) return null;
  const opensAt = queues.map((q) => q.opensAt).sort()[0]!;
  return { hours, opensAt };
}

/** The refusal reason the core puts in `details.reason`, if any. */
export function refusalReason(e: unknown): string | undefined {
  if (!(e instanceof ApiCallError) || typeof e.details !== 'object' || e.details === null) return undefined;
  const reason = (e.details as { reason?: unknown }).reason;
  return typeof reason === 'string' ? reason : undefined;
}

/**
 * The kiosk flow: start → applicant type → queue → priority → ticket, or start → appointment code →
 * ticket. Each user action gets a new mutation id; "retry" after a lost answer resends the same one,
 * so the core hands back the ticket it already issued instead of a second one.
 */
export const useKioskStore = defineStore('kiosk', () => {
  const step = ref<KioskStep>('start');
  const applicantType = ref<ApplicantType | null>(null);
  const queueId = ref<string | null>(null);
  const priority = ref<PriorityClass>('none');
  const code = ref('');
  const issued = ref<IssuedTicket | null>(null);
  const issuedBy = ref<Action['kind'] | null>(null);
  const busy = ref<Action['kind'] | null>(null);
  const error = ref<unknown>(null);
  /** The failed action that may be resent as is (same mutation id): only when its answer was lost. */
  const retryable = ref<Action | null>(null);
  /** How often the issued ticket may still be printed again (the core counts and enforces it). */
  const reprintsLeft = ref(TICKET_REPRINT_LIMIT);
  /** The SMS opt-in panel is open on the result screen: the citizen is typing, the page waits longer. */
  const smsOpen = ref(false);
  /** The opt-in the hub accepted for the issued ticket (the number masked as the hub answered it). */
  const smsOptedIn = ref<{ phoneMasked: string; nearNotice: boolean } | null>(null);

  const queues = ref<KioskQueue[]>([]);
  const queuesLoaded = ref(false);
  const queuesError = ref<unknown>(null);

  const idleSeconds = ref(IDLE_SECONDS);
  const resultSeconds = ref(RESULT_SECONDS);

  /** Bumped by every reset, so an answer arriving after the citizen left cannot reopen their ticket. */
  let flow = 0;
  let loadSeq = 0;
  let unsubscribe: (() => void) | undefined;
  let refreshTimer: ReturnType<typeof setInterval> | undefined;
  let changeTimer: ReturnType<typeof setTimeout> | undefined;

  /** The queues of the chosen applicant type, same group together, in the hall's order. */
  const visibleQueues = computed(() => {
    const type = applicantType.value;
    if (!type) return [];
    const groupOrder = new Map<string, number>();
    for (const q of queues.value)
      groupOrder.set(q.groupZh, Math.min(groupOrder.get(q.groupZh) ?? q.sortOrder, q.sortOrder));
    return queues.value
      .filter((q) => q.applicantTypes.includes(type))
      .sort(
        (a, b) =>
          groupOrder.get(a.groupZh)! - groupOrder.get(b.groupZh)! ||
          a.sortOrder - b.sortOrder ||
          a.prefix.localeCompare(b.prefix),
      );
  });
  const selectedQueue = computed(() => queues.value.find((q) => q.id === queueId.value) ?? null);

  async function loadQueues() {
    const seq = ++loadSeq;
    try {
      const next = await useSessionStore().api().call('queue.kiosk.queues', {});
      // An older answer overtaken by a newer request must not overwrite it.
      if (seq !== loadSeq) return;
      queues.value = next;
      queuesError.value = null;
    } catch (e) {
      if (seq === loadSeq) queuesError.value = e;
    } finally {
      if (seq === loadSeq) queuesLoaded.value = true;
    }
  }

  /** Live queue list while the kiosk page is open. */
  function connect() {
    disconnect();
    unsubscribe = useSessionStore()
      .api()
      .on('queue.changed', () => {
        clearTimeout(changeTimer);
        changeTimer = setTimeout(() => void loadQueues(), CHANGE_DEBOUNCE_MS);
      });
    refreshTimer = setInterval(() => void loadQueues(), QUEUE_REFRESH_MS);
    void loadQueues();
  }

  function disconnect() {
    unsubscribe?.();
    unsubscribe = undefined;
    clearInterval(refreshTimer);
    clearTimeout(changeTimer);
  }

  /** Tests and hall set-up may shorten the timeouts (e.g. `#/kiosk?idle=2`). */
  function configureTimeouts(t: { idle?: number; result?: number }) {
    const clamp = (n: number) => Math.min(3600, Math.max(1, Math.round(n)));
    if (t.idle !== undefined && Number.isFinite(t.idle)) idleSeconds.value = clamp(t.idle);
    if (t.result !== undefined && Number.isFinite(t.result)) resultSeconds.value = clamp(t.result);
  }

  function clearOutcome() {
    error.value = null;
    retryable.value = null;
  }

  function reset() {
    flow += 1;
    step.value = 'start';
    applicantType.value = null;
    queueId.value = null;
    priority.value = 'none';
    code.value = '';
    issued.value = null;
    issuedBy.value = null;
    busy.value = null;
    reprintsLeft.value = TICKET_REPRINT_LIMIT;
    smsOpen.value = false;
    smsOptedIn.value = null;
    clearOutcome();
  }

  function chooseApplicant(type: ApplicantType) {
    clearOutcome();
    applicantType.value = type;
    queueId.value = null;
    step.value = 'queues';
    void loadQueues();
  }

  function chooseQueue(id: string) {
    const q = visibleQueues.value.find((x) => x.id === id);
    if (!q || !queueAvailable(q)) return;
    clearOutcome();
    queueId.value = id;
    step.value = 'priority';
  }

  function startAppointment() {
    clearOutcome();
    code.value = '';
    step.value = 'appointment';
  }

  /** Back one step; from the first step of a path, to the start screen. */
  function back() {
    if (busy.value) return;
    clearOutcome();
    if (step.value === 'priority') step.value = 'queues';
    else reset();
  }

  async function run(action: Action) {
    if (busy.value) return;
    const mine = flow;
    busy.value = action.kind;
    clearOutcome();
    try {
      const api = useSessionStore().api();
      const result =
        action.kind === 'issue'
          ? await api.call(action.byCard ? 'idcard.ticket.issue' : 'queue.ticket.issue', action.input)
          : 'code' in action.input
            ? await api.call('queue.appointment.checkIn', action.input)
            : await api.call('idcard.appointment.checkIn', action.input);
      if (mine !== flow) return;
      issued.value = result;
      issuedBy.value = action.kind;
      reprintsLeft.value = TICKET_REPRINT_LIMIT;
      step.value = 'result';
    } catch (e) {
      if (mine !== flow) return;
      error.value = e;
      // Only a lost answer is worth resending unchanged; a refusal would be refused again.
      if (!(e instanceof ApiCallError) || isTransient(e)) retryable.value = action;
      // A refusal about the queue means the list on screen is stale.
      if (action.kind === 'issue') void loadQueues();
    } finally {
      if (mine === flow) busy.value = null;
    }
  }

  function issue(p: PriorityClass, byCard = false) {
    if (!queueId.value || !applicantType.value) return Promise.resolve();
    priority.value = p;
    return run({
      kind: 'issue',
      input: { mutationId: newMutationId(), queueId: queueId.value, applicantType: applicantType.value, priority: p },
      byCard,
    });
  }

  function checkInByCard() {
    return run({ kind: 'checkIn', input: { mutationId: newMutationId() }, byCard: true });
  }

  function typeKey(key: string) {
    if (busy.value) return;
    const k = key.toUpperCase();
    if (!/^[A-Z0-9]$/.test(k) || code.value.length >= CODE_MAX_LENGTH) return;
    code.value += k;
    clearOutcome();
  }

  function backspace() {
    if (busy.value) return;
    code.value = code.value.slice(0, -1);
    clearOutcome();
  }

  function clearCode() {
    if (busy.value) return;
    code.value = '';
    clearOutcome();
  }

  function checkIn() {
    if (code.value.length < CODE_MIN_LENGTH) return Promise.resolve();
    return run({ kind: 'checkIn', input: { mutationId: newMutationId(), code: code.value } });
  }

  function retry() {
    const action = retryable.value;
    return action ? run(action) : Promise.resolve();
  }

  /**
   * Asks the core for one more print of the issued ticket: 'ok' to print it, 'limit' once the ticket has
   * had its reprints, 'failed' when the core could not be asked (nothing was counted then).
   */
  async function reprint(): Promise<'ok' | 'limit' | 'failed'> {
    const ticket = issued.value?.ticket;
    if (!ticket || reprintsLeft.value <= 0) return 'limit';
    const mine = flow;
    try {
      const r = await useSessionStore()
        .api()
        .call('queue.ticket.reprint', { mutationId: newMutationId(), ticketId: ticket.id });
      if (mine !== flow) return 'failed';
      reprintsLeft.value = r.reprintsLeft;
      return 'ok';
    } catch (e) {
      if (mine !== flow) return 'failed';
      if (refusalReason(e) === 'REPRINT_LIMIT') {
        reprintsLeft.value = 0;
        return 'limit';
      }
      return 'failed';
    }
  }

  /**
   * Gives the hub the citizen's mobile number for the issued ticket's SMS notices: 'ok', 'not_waiting'
   * when the ticket was called meanwhile, 'failed' otherwise (the ticket is unchanged then).
   */
  async function smsOptIn(phone: string): Promise<'ok' | 'not_waiting' | 'failed'> {
    const ticket = issued.value?.ticket;
    if (!ticket) return 'failed';
    const mine = flow;
    try {
      const r = await useSessionStore()
        .api()
        .call('queue.ticket.smsOptIn', { mutationId: newMutationId(), ticketId: ticket.id, phone });
      if (mine !== flow) return 'failed';
      smsOptedIn.value = { phoneMasked: r.phoneMasked, nearNotice: r.nearNotice };
      smsOpen.value = false;
      return 'ok';
    } catch (e) {
      if (mine !== flow) return 'failed';
      return refusalReason(e) === 'NOT_WAITING' ? 'not_waiting' : 'failed';
    }
  }

  return {
    step,
    applicantType,
    queueId,
    priority,
    code,
    issued,
    issuedBy,
    busy,
    error,
    retryable,
    reprintsLeft,
    queues,
    queuesLoaded,
    queuesError,
    idleSeconds,
    resultSeconds,
    visibleQueues,
    selectedQueue,
    loadQueues,
    connect,
    disconnect,
    configureTimeouts,
    reset,
    chooseApplicant,
    chooseQueue,
    startAppointment,
    back,
    issue,
    typeKey,
    backspace,
    clearCode,
    checkIn,
    checkInByCard,
    retry,
    reprint,
    smsOpen,
    smsOptedIn,
    smsOptIn,
  };
});
