import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { Rating, RatingPrompt, RatingRequest } from '@shared/api';
import { ApiCallError } from '../api/api-call-error';
import { keepScreenToken, readScreenToken } from '../api/screen-token';
import { BAD_RATING_MAX, type RATING_REASONS } from '@shared/api/methods/feedback';
import { sendMutation } from '../api/send-mutation';
import { newMutationId, useCounterStore, type Notice } from './counter';
import { describeIntakeError, useIntakeStore } from './intake';
import { useSessionStore } from './session';

export type RatingReason = (typeof RATING_REASONS)[number];

/** A bad review (不满意 / 非常不满意) needs a reason or a comment before it can be sent. */
export const needsReason = (level: number, reasons: readonly string[], comment: string): boolean =>
  level <= BAD_RATING_MAX && reasons.length === 0 && comment.trim().length === 0;

/**
 * 好差评: the counter shows a pairing code for its rating screen; after a finished service it asks for
 * the rating (the core issues a one-time token for that visit to the paired screen only); the screen
 * shows the request and sends the rating with the token, and the counter sees the result. Also the
 * ratings list with the rated clerk's appeal and the supervisor's decision.
 */
export const useRatingStore = defineStore('rating', () => {
  const session = useSessionStore();

  // ------------------------------------------------------------ counter side
  const requested = ref<RatingRequest | null>(null);
  /** The level of the last rated visit of this counter. */
  const lastLevel = ref<number | null>(null);
  const requestError = ref<Notice | null>(null);
  const requesting = ref(false);

  /** The ticket last finished here: the manual request asks again for it (only a served ticket is rated). */
  const lastTicketId = ref<string | null>(null);

  async function request(ticketId: string | null) {
    const counter = useCounterStore();
    const counterId = counter.counterId;
    if (!counterId || !ticketId || requesting.value) return;
    requesting.value = true;
    requestError.value = null;
    const caseIds = ticketId
      ? useIntakeStore()
          .casesOfTicket(ticketId)
          .slice(0, 20)
          .map((c) => c.id)
      : [];
    const mutationId = newMutationId();
    try {
      requested.value = await sendMutation(() =>
        session.api().call('rating.request', { mutationId, counterId, ticketId, caseIds }),
      );
      lastLevel.value = null;
    } catch (e) {
      requestError.value = describeIntakeError(e);
    } finally {
      requesting.value = false;
    }
  }

  let counterStops: (() => void)[] = [];
  /** Asks for the rating each time the clerk finishes a service (办结). */
  function startCounter() {
    stopCounter();
    const counter = useCounterStore();
    counterStops = [
      counter.$onAction(({ name, args, after }) => {
        if (name !== 'finish') return;
        after((done) => {
          if (!done) return;
          lastTicketId.value = String(args[0]);
          void request(lastTicketId.value);
        });
      }),
      session.api().on('rating.submitted', (e) => {
        if (e.counterId !== counter.counterId) return;
        if (requested.value?.visitId === e.visitId) requested.value = null;
        lastLevel.value = e.level;
      }),
    ];
  }
  function stopCounter() {
    for (const stop of counterStops) stop();
    counterStops = [];
  }

  // ------------------------------------------------------------ customer screen side
  /** null: not known yet; false: the pairing form; true: paired with `screenCounterId`. */
  const paired = ref<boolean | null>(null);
  const screenCounterId = ref<string | null>(null);
  const pairing = ref(false);
  const pairError = ref<Notice | null>(null);
  const prompt = ref<RatingPrompt | null>(null);
  const submitted = ref<Rating | null>(null);
  const submitting = ref(false);
  const submitError = ref<Notice | null>(null);

  /** This screen lost its pairing (a newer screen was paired with its counter): back to the pairing form. */
  function unpaired() {
    const hadToken = readScreenToken() !== null;
    keepScreenToken(null);
    stopScreen();
    paired.value = false;
    screenCounterId.value = null;
    prompt.value = null;
    // A browser page sent the dead token as its bearer: a fresh page gets a fresh (unpaired) session.
    if (hadToken && session.api().transport === 'http') window.location.reload();
  }
  const lostPairing = (e: unknown) =>
    e instanceof ApiCallError &&
    (e.code === 'UNAUTHENTICATED' || (e.details as { reason?: unknown } | undefined)?.reason === 'NOT_PAIRED');

  /** Whether this screen is paired; a window presents its kept token to bind itself again. */
  async function initScreen() {
    const token = readScreenToken();
    try {
      const state = await session.api().call('rating.screen', token ? { token } : {});
      if (!state.paired || !state.counterId) {
        if (token) unpaired();
        else paired.value = false;
        return;
      }
      paired.value = true;
      startScreen(state.counterId);
    } catch (e) {
      if (lostPairing(e)) unpaired();
      // Offline: the reconnect watcher of the page asks again.
    }
  }

  /** Pairs with the counter whose clerk shows `code`; the token kept is this screen's identity from now on. */
  async function pair(code: string): Promise<boolean> {
    if (pairing.value) return false;
    pairing.value = true;
    pairError.value = null;
    try {
      const result = await session.api().call('rating.pair', { code });
      keepScreenToken(result.token);
      // A browser page uses the token as its bearer from its next load; a window is bound already.
      if (session.api().transport === 'http') {
        window.location.reload();
        return true;
      }
      paired.value = true;
      startScreen(result.counterId);
      return true;
    } catch (e) {
      pairError.value = describeIntakeError(e);
      return false;
    } finally {
      pairing.value = false;
    }
  }

  async function loadPending() {
    if (!screenCounterId.value) return;
    try {
      const next = await session.api().call('rating.pending', {});
      if (!submitted.value) prompt.value = next;
    } catch (e) {
      if (lostPairing(e)) unpaired();
      // Offline: the reconnect watcher asks again.
    }
  }

  async function submit(level: number, reasons: RatingReason[], comment: string): Promise<boolean> {
    const visit = prompt.value;
    if (!visit || submitting.value) return false;
    submitting.value = true;
    submitError.value = null;
    const mutationId = newMutationId();
    try {
      submitted.value = await sendMutation(() =>
        session.api().call('rating.submit', { mutationId, token: visit.token, level, reasons, comment }),
      );
      prompt.value = null;
      return true;
    } catch (e) {
      if (lostPairing(e)) unpaired();
      submitError.value = describeIntakeError(e);
      return false;
    } finally {
      submitting.value = false;
    }
  }

  /** Back to the idle screen after the thanks (or when nobody rated in time). */
  function idle() {
    submitted.value = null;
    submitError.value = null;
    prompt.value = null;
  }

  let screenStops: (() => void)[] = [];
  function startScreen(counterId: string) {
    stopScreen();
    screenCounterId.value = counterId;
    const api = session.api();
    screenStops = [
      // Only this screen's counter's requests reach it (the core sends the token nowhere else).
      api.on('rating.requested', (r) => {
        if (r.counterId !== screenCounterId.value) return;
        submitted.value = null;
        submitError.value = null;
        prompt.value = r;
      }),
      api.on('rating.submitted', (e) => {
        if (prompt.value?.visitId === e.visitId && !submitting.value) prompt.value = null;
      }),
      watch(
        () => session.connection,
        (state) => {
          if (state === 'online') void loadPending();
        },
      ),
    ];
    void loadPending();
  }
  function stopScreen() {
    for (const stop of screenStops) stop();
    screenStops = [];
  }

  // ------------------------------------------------------------ ratings and appeals (申诉)
  const ratings = ref<Rating[]>([]);
  const ratingsError = ref<Notice | null>(null);

  async function loadRatings() {
    try {
      ratings.value = await session.api().call('rating.list', { limit: 50 });
      ratingsError.value = null;
    } catch (e) {
      ratingsError.value = describeIntakeError(e);
    }
  }
  async function fileAppeal(ratingId: string, reason: string) {
    const mutationId = newMutationId();
    try {
      await sendMutation(() => session.api().call('rating.appeal.file', { mutationId, ratingId, reason }));
      await loadRatings();
    } catch (e) {
      ratingsError.value = describeIntakeError(e);
    }
  }
  async function decideAppeal(appealId: string, decision: 'upheld' | 'rejected', reason: string) {
    const mutationId = newMutationId();
    try {
      await sendMutation(() => session.api().call('rating.appeal.decide', { mutationId, appealId, decision, reason }));
      await loadRatings();
    } catch (e) {
      ratingsError.value = describeIntakeError(e);
    }
  }

  // ------------------------------------------------------------ pairing code at the counter
  const pairingCode = ref<{ code: string; expiresAt: string } | null>(null);
  async function showPairingCode() {
    const counterId = useCounterStore().counterId;
    if (!counterId) return;
    requestError.value = null;
    try {
      pairingCode.value = await session.api().call('rating.pairing.code', { counterId });
    } catch (e) {
      requestError.value = describeIntakeError(e);
    }
  }

  return {
    requested,
    lastTicketId,
    lastLevel,
    requestError,
    requesting,
    request,
    startCounter,
    stopCounter,
    paired,
    screenCounterId,
    pairing,
    pairError,
    prompt,
    submitted,
    submitting,
    submitError,
    initScreen,
    pair,
    loadPending,
    submit,
    idle,
    startScreen,
    stopScreen,
    ratings,
    ratingsError,
    loadRatings,
    fileAppeal,
    decideAppeal,
    pairingCode,
    showPairingCode,
  };
});
