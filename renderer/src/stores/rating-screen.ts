import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { Rating, RatingPrompt } from '@shared/api';
import { BAD_RATING_MAX, type RATING_REASONS } from '@shared/intake/rating-scale';
import { ApiCallError } from '../api/api-call-error';
import { newMutationId } from '../api/mutation-id';
import { keepScreenToken, readScreenToken } from '../api/screen-token';
import { sendMutation } from '../api/send-mutation';
import type { Notice } from './counter';
import { describeIntakeError } from './refusal-notice';
import { useSessionStore } from './session';

export type RatingReason = (typeof RATING_REASONS)[number];

/** A bad review (不满意 / 非常不满意) needs a reason or a comment before it can be sent. */
export const needsReason = (level: number, reasons: readonly string[], comment: string): boolean =>
  level <= BAD_RATING_MAX && reasons.length === 0 && comment.trim().length === 0;

/**
 * 好差评 on the rating screen (the citizen's side; the counter's is stores/rating.ts, kept apart so the
 * screen loads none of the counter's code): pairing with a counter, then the rating request that counter
 * sends, answered with the one-time token only this screen received.
 */
export const useRatingScreenStore = defineStore('ratingScreen', () => {
  const session = useSessionStore();

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

  return {
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
  };
});
