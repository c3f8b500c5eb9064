import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { Counter, CounterView, KioskQueue, MethodInput, MethodName, Ticket } from '@shared/api';
import { ApiCallError } from '../api/api-call-error';
import { errorKey, isTransient } from '../api/error-key';
import { newMutationId } from '../api/mutation-id';
import { describeSignInError, endedReasonOf, useIdentityStore } from './identity';
import { useSessionStore } from './session';

/** Counter last chosen on this device; never the login or the PIN (no names before sign-in). */
const REMEMBER_KEY = 'onewindow.counter.choice';
/**
 * The counter this tab was signed in at. Kept per tab (sessionStorage) so a reload tries to resume:
 * inside Electron the window keeps its identity and the core still knows it; a browser gets a new
 * session and is told to sign in again.
 */
const SIGNED_IN_KEY = 'onewindow.counter.signedIn';

/** Waits before re-sending the same mutation after UNAVAILABLE; three retries, then the error is shown. */
export const RETRY_DELAYS_MS = [400, 1200, 2500] as const;

/** A message for the page: an i18n key and its parameters, translated where it is shown. */
export interface Notice {
  key: string;
  params?: Record<string, string | number>;
  /** The count that chooses the message's plural form (English has two). */
  plural?: number;
}

/** The queue commands that act on one ticket; each takes { mutationId, counterId, ticketId }. */
type TicketCommand =
  | 'queue.callTicket'
  | 'queue.recall'
  | 'queue.start'
  | 'queue.finish'
  | 'queue.noShow'
  | 'queue.reactivate'
  | 'queue.cancel';

/** Refusal reasons the page has its own sentence for (electron/core/services/queue-service.ts). */
const KNOWN_REASONS = new Set([
  'NOT_SIGNED_IN',
  'COUNTER_BUSY',
  'COUNTER_PAUSED',
  'QUEUE_EMPTY',
  'NOT_THIS_COUNTER',
  'NOT_CALLABLE_HERE',
  'ALREADY_REACTIVATED',
  'ILLEGAL_TRANSITION',
  'UNKNOWN_COUNTER',
  'UNKNOWN_TICKET',
  'UNKNOWN_QUEUE',
]);

const reasonOf = (e: unknown): string | undefined =>
  e instanceof ApiCallError ? (e.details as { reason?: unknown } | undefined)?.reason?.toString() : undefined;

/** A failed call as an i18n key: the refusal's reason when the page knows it, else the error code. */
export function describeError(e: unknown): Notice {
  if (!(e instanceof ApiCallError)) return { key: 'errors.unknown' };
  const signIn = describeSignInError(e);
  if (!signIn.key.startsWith('errors.')) return signIn;
  const details = (e.details ?? {}) as Record<string, unknown>;
  const reason = reasonOf(e);
  if (reason === 'NO_SHOW_TOO_EARLY') {
    const calls = Number(details.callsNeeded ?? 0);
    return calls > 0
      ? { key: 'counterPage.reasons.NO_SHOW_TOO_EARLY_CALLS', params: { calls }, plural: calls }
      : { key: 'counterPage.reasons.NO_SHOW_TOO_EARLY_WAIT', params: { seconds: Number(details.secondsLeft ?? 0) } };
  }
  if (reason === 'COUNTER_BUSY') {
    return { key: 'counterPage.reasons.COUNTER_BUSY', params: { number: String(details.current ?? '') } };
  }
  if (reason && KNOWN_REASONS.has(reason)) return { key: `counterPage.reasons.${reason}` };
  return { key: errorKey(e) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readJson<T>(storage: Storage, key: string): T | null {
  try {
    const raw = storage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

/** The counter page: who is signed in where, the live counter view, and every clerk command. */
export const useCounterStore = defineStore('counter', () => {
  const session = useSessionStore();
  const identity = useIdentityStore();

  const counters = ref<Counter[]>([]);
  const queues = ref<KioskQueue[]>([]);
  const choicesError = ref<Notice | null>(null);
  /** The counter list has been read at least once (an empty list then means: bound to none). */
  const choicesLoaded = ref(false);

  const remembered = ref(readJson<{ counterId?: string }>(localStorage, REMEMBER_KEY) ?? {});
  const counterId = ref<string | null>(null);
  const view = ref<CounterView | null>(null);
  /** Shown on the sign-in screen: why the clerk is there again (session lost, signed out). */
  const signInNotice = ref<Notice | null>(null);
  /** The last refused command, shown on the main screen until the next command. */
  const error = ref<Notice | null>(null);
  /** Set while a UNAVAILABLE call is being re-sent. */
  const retrying = ref(0);
  /** The command in flight: one at a time, so a double click or a held key cannot act twice. */
  const pending = ref<string | null>(null);
  const resuming = ref(false);
  /** Dialogs open over the main screen; hotkeys must not act behind them. */
  const modals = ref(0);
  /**
   * The core's clock, for waited minutes and the no-show countdown: the server time of the last view plus
   * this PC's monotonic time since it arrived. The PC clock itself may be off by minutes.
   */
  const anchor = ref({ serverMs: Date.now(), localMs: performance.now() });
  /** Ticks every second. */
  const tick = ref(performance.now());
  /**
   * The hall day as the queue keeps it (`queue.hall.clock`, the hub's on a hall with one): every date the
   * counter shows or proposes counts from it, never from this PC's calendar, which may be a day off.
   */
  const hallDay = ref<string | null>(null);
  let hallClockRead: Promise<string | null> | null = null;
  const serverNow = computed(() => anchor.value.serverMs + (tick.value - anchor.value.localMs));

  const signedIn = computed(() => view.value !== null);
  /** A queue's name in the page's language; the id until the queue list has loaded. */
  const queueName = (queueId: string, locale: string): string => {
    const q = queues.value.find((x) => x.id === queueId);
    return q ? (locale === 'zh-CN' ? q.nameZh : q.nameEn) : queueId;
  };
  const current = computed<Ticket | null>(() => view.value?.current ?? null);

  let viewSeq = 0;
  let appliedSeq = 0;
  let refreshing: Promise<void> | null = null;
  let refreshAgain = false;
  let stopFns: (() => void)[] = [];

  /**
   * Applies a view only if it was requested after the one on screen: an older refresh answered late must
   * not undo a command's fresher answer.
   */
  function apply(seq: number, next: CounterView): boolean {
    if (seq < appliedSeq) return false;
    appliedSeq = seq;
    view.value = next;
    tick.value = performance.now();
    anchor.value = { serverMs: Date.parse(next.serverTime), localMs: tick.value };
    return true;
  }

  function lose(notice: Notice) {
    view.value = null;
    counterId.value = null;
    pending.value = null;
    error.value = null;
    signInNotice.value = notice;
    sessionStorage.removeItem(SIGNED_IN_KEY);
    identity.setPerson(null);
  }

  /** The notice of a call refused because the session lost its clerk (signed in elsewhere, disabled…). */
  function lostNotice(e: unknown): Notice | null {
    if (!(e instanceof ApiCallError) || e.code !== 'SIGN_IN_REQUIRED') return null;
    const why = endedReasonOf(e);
    return { key: why ? `counterPage.ended.${why}` : 'counterPage.signIn.sessionLost' };
  }

  /** Reads the hall day again; the one on screen stays while the queue cannot be reached. */
  function loadHallClock(): Promise<string | null> {
    hallClockRead ??= session
      .api()
      .call('queue.hall.clock', {})
      .then(
        (c) => (hallDay.value = c.hallDay),
        () => hallDay.value,
      )
      .finally(() => (hallClockRead = null));
    return hallClockRead;
  }
  /** The hall's today: the one read, or read now (a date is never computed from this PC's clock). */
  const hallToday = async (): Promise<string | null> => hallDay.value ?? (await loadHallClock());

  async function loadChoices() {
    const api = session.api();
    try {
      const [c] = await Promise.all([api.call('queue.counters', {}), identity.load()]);
      // Only the counters this PC is bound to (null: any counter of the hall).
      const bound = identity.boundCounterIds;
      counters.value = [...c].filter((x) => !bound || bound.includes(x.id)).sort((a, b) => a.number - b.number);
      choicesError.value = null;
      choicesLoaded.value = true;
    } catch (e) {
      choicesError.value = describeError(e);
    }
  }

  async function loadQueues() {
    try {
      queues.value = await session.api().call('queue.kiosk.queues', {});
    } catch {
      // Queue names are decoration here (the ticket number carries the prefix); keep what we had.
    }
  }

  /** Throws ApiCallError on refusal so the form can show it; remembers the counter on success. */
  async function signIn(input: { counterId: string; login: string; pin: string }) {
    const seq = ++viewSeq;
    const { person, ...v } = await session.api().call('queue.counter.signIn', input);
    identity.setPerson(person);
    remembered.value = { counterId: input.counterId };
    localStorage.setItem(REMEMBER_KEY, JSON.stringify(remembered.value));
    sessionStorage.setItem(SIGNED_IN_KEY, input.counterId);
    counterId.value = input.counterId;
    signInNotice.value = null;
    error.value = null;
    apply(seq, v);
    void loadQueues();
    void loadHallClock();
  }

  async function refresh(): Promise<void> {
    if (!counterId.value) return;
    // Events come in bursts; one request in flight plus one more afterwards covers them all.
    if (refreshing) {
      refreshAgain = true;
      return refreshing;
    }
    refreshing = (async () => {
      do {
        refreshAgain = false;
        const id = counterId.value;
        // Signing out makes the core forget us on purpose; that is not a lost session.
        if (!id || pending.value === 'signOut') break;
        const seq = ++viewSeq;
        try {
          apply(seq, await session.api().call('queue.counter.view', { counterId: id }));
        } catch (e) {
          const lost = lostNotice(e);
          if (lost || reasonOf(e) === 'NOT_SIGNED_IN' || reasonOf(e) === 'UNKNOWN_COUNTER') {
            // An answer about a counter we already left (signed out meanwhile) changes nothing.
            if (counterId.value === id && pending.value !== 'signOut')
              lose(lost ?? { key: 'counterPage.signIn.sessionLost' });
            break;
          }
          // Offline: the reconnect watcher refreshes once the connection is back.
        }
      } while (refreshAgain);
    })().finally(() => (refreshing = null));
    return refreshing;
  }

  /** After a reload: picks up the counter this tab was signed in at, if the core still knows us. */
  async function resume() {
    const id = sessionStorage.getItem(SIGNED_IN_KEY);
    if (!id || counterId.value) return;
    resuming.value = true;
    counterId.value = id;
    // Inside Electron the core still knows the clerk: the header and the idle checks need the person.
    void identity.load().catch(() => undefined);
    void loadHallClock();
    try {
      await refresh();
    } finally {
      resuming.value = false;
    }
  }

  /**
   * One clerk action: a fresh mutationId, re-sent unchanged while the core is unreachable, so a call whose
   * answer was lost is answered from the core's command log instead of acting twice.
   */
  async function run<M extends MethodName>(
    name: string,
    method: M,
    input: (mutationId: string, counterId: string) => MethodInput<M>,
  ): Promise<boolean> {
    const id = counterId.value;
    if (!id || pending.value) return false;
    pending.value = name;
    error.value = null;
    const mutationId = newMutationId();
    const seq = ++viewSeq;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          const out = await session.api().call(method, input(mutationId, id));
          retrying.value = 0;
          // A refresh sent during the retries may predate the command; then only a new read is certain.
          if (out && typeof out === 'object' && 'counter' in out && !apply(seq, out as CounterView)) void refresh();
          // A retry is answered with the first answer, server time included: read the present too.
          else if (attempt > 0) void refresh();
          return true;
        } catch (e) {
          if (isTransient(e) && attempt < RETRY_DELAYS_MS.length) {
            retrying.value = attempt + 1;
            await sleep(RETRY_DELAYS_MS[attempt]!);
            continue;
          }
          retrying.value = 0;
          const lost = lostNotice(e);
          if (lost || reasonOf(e) === 'NOT_SIGNED_IN') {
            lose(lost ?? { key: 'counterPage.signIn.sessionLost' });
            return false;
          }
          error.value = describeError(e);
          // The refusal may come from a stale screen (someone else called that ticket): show the truth.
          void refresh();
          return false;
        }
      }
    } finally {
      if (pending.value === name) pending.value = null;
    }
  }

  const ticketCommand = (name: string, method: TicketCommand, ticketId: string) =>
    run(name, method, (mutationId, counterId) => ({ mutationId, counterId, ticketId }));

  const callNext = () => run('callNext', 'queue.callNext', (mutationId, counterId) => ({ mutationId, counterId }));
  const callTicket = (ticketId: string) => ticketCommand('callTicket', 'queue.callTicket', ticketId);
  const recall = (ticketId: string) => ticketCommand('recall', 'queue.recall', ticketId);
  const start = (ticketId: string) => ticketCommand('start', 'queue.start', ticketId);
  const finish = (ticketId: string) => ticketCommand('finish', 'queue.finish', ticketId);
  const noShow = (ticketId: string) => ticketCommand('noShow', 'queue.noShow', ticketId);
  const reactivate = (ticketId: string) => ticketCommand('reactivate', 'queue.reactivate', ticketId);
  const cancel = (ticketId: string) => ticketCommand('cancel', 'queue.cancel', ticketId);
  const transfer = (ticketId: string, to: { toQueueId: string } | { toCounterId: string }) =>
    run('transfer', 'queue.transfer', (mutationId, counterId) => ({ mutationId, counterId, ticketId, ...to }));
  /**
   * The clerk began the intake of the called ticket: the citizen is at the desk, so service starts now, not
   * when F3 is pressed afterwards (service and idle times are measured from these events). Once per ticket;
   * `run` re-sends the same mutation while the core is unreachable. A refusal shows like any other command's.
   */
  let autoStartedFor: string | null = null;
  async function startService(): Promise<void> {
    const t = current.value;
    // While another command is in flight (a recall) it cannot run; the next intake action tries again.
    if (!t || t.state !== 'called' || autoStartedFor === t.id || pending.value) return;
    autoStartedFor = t.id;
    await start(t.id);
  }
  const setPaused = (paused: boolean) =>
    run('pause', 'queue.counter.pause', (mutationId, counterId) => ({ mutationId, counterId, paused }));

  async function signOut() {
    const ok = await run('signOut', 'queue.counter.signOut', (mutationId, counterId) => ({ mutationId, counterId }));
    if (ok) {
      lose({ key: 'counterPage.signIn.signedOut' });
      void loadChoices();
    }
    return ok;
  }

  /**
   * The administrator may have added a counter (the sign-in list), or given this counter a queue
   * whose name this page has not read yet; in a busy hall most changes are tickets, which only need the view.
   */
  async function onQueueChanged() {
    if (!counterId.value) return loadChoices();
    await refresh();
    const known = new Set(queues.value.map((q) => q.id));
    if (view.value?.counter.queueIds.some((id) => !known.has(id))) await loadQueues();
  }

  /** Live updates while the page is shown: every queue change, and a re-fetch after a reconnect. */
  function startLive() {
    stopLive();
    const api = session.api();
    const timer = setInterval(() => (tick.value = performance.now()), 1000);
    stopFns = [
      api.on('queue.changed', (e) => {
        // The day rolled over (the event names the queue's day): read the hall's clock again.
        if (hallDay.value !== null && e.hallDay !== hallDay.value) void loadHallClock();
        void onQueueChanged();
      }),
      // The clerk signed in at another window, or was disabled: this one is closed, say why.
      api.on('queue.counter.ended', (e) => {
        if (e.counterId !== counterId.value) return;
        if (identity.person && identity.person.staffId !== e.staffId) return;
        lose(
          e.reason === 'signed_in_elsewhere' && e.elsewhereCounterNumber !== null
            ? { key: 'counterPage.ended.elsewhereAt', params: { number: e.elsewhereCounterNumber } }
            : { key: `counterPage.ended.${e.reason}` },
        );
        void loadChoices();
      }),
      watch(
        () => session.connection,
        (state, before) => {
          if (state === 'online' && before === 'offline') {
            void refresh();
            void loadQueues();
            void loadHallClock();
            if (!counterId.value) void loadChoices();
          }
        },
      ),
      () => clearInterval(timer),
    ];
  }

  function stopLive() {
    for (const stop of stopFns) stop();
    stopFns = [];
  }

  /** No-show is allowed after the configured calls and grace time since the first call. */
  const noShowBlock = computed((): Notice | null => {
    const v = view.value;
    const t = v?.current;
    if (!v || !t || t.state !== 'called') return null;
    const calls = v.settings.noShowAfterCalls - t.callCount;
    if (calls > 0) return { key: 'counterPage.actions.noShowCalls', params: { calls }, plural: calls };
    const since = t.firstCalledAt ? Date.parse(t.firstCalledAt) : serverNow.value;
    const seconds = Math.ceil(v.settings.noShowGraceSeconds - (serverNow.value - since) / 1000);
    return seconds > 0 ? { key: 'counterPage.actions.noShowWait', params: { seconds } } : null;
  });

  return {
    counters,
    queues,
    choicesError,
    choicesLoaded,
    remembered,
    counterId,
    view,
    signInNotice,
    error,
    retrying,
    pending,
    resuming,
    modals,
    serverNow,
    hallDay,
    hallToday,
    loadHallClock,
    signedIn,
    current,
    noShowBlock,
    queueName,
    loadChoices,
    loadQueues,
    signIn,
    refresh,
    resume,
    callNext,
    callTicket,
    recall,
    start,
    startService,
    finish,
    noShow,
    reactivate,
    cancel,
    transfer,
    setPaused,
    signOut,
    startLive,
    stopLive,
  };
});
