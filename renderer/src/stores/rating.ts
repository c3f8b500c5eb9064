import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { Rating, RatingRequest } from '@shared/api';
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
 * 好差评: the counter asks its customer screen for a rating after a finished service (and on demand),
 * the customer screen shows the request and sends the rating, and the counter sees the result.
 */
export const useRatingStore = defineStore('rating', () => {
  const session = useSessionStore();

  // ------------------------------------------------------------ counter side
  const requested = ref<RatingRequest | null>(null);
  /** The level of the last rated visit of this counter. */
  const lastLevel = ref<number | null>(null);
  const requestError = ref<Notice | null>(null);
  const requesting = ref(false);

  async function request(ticketId: string | null) {
    const counter = useCounterStore();
    const counterId = counter.counterId;
    if (!counterId || requesting.value) return;
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
          if (done) void request(String(args[0]));
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
  const screenCounterId = ref<string | null>(null);
  const prompt = ref<RatingRequest | null>(null);
  const submitted = ref<Rating | null>(null);
  const submitting = ref(false);
  const submitError = ref<Notice | null>(null);

  async function loadPending() {
    const counterId = screenCounterId.value;
    if (!counterId) return;
    try {
      const next = await session.api().call('rating.pending', { counterId });
      if (screenCounterId.value === counterId && !submitted.value) prompt.value = next;
    } catch {
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
        session.api().call('rating.submit', { mutationId, visitId: visit.visitId, level, reasons, comment }),
      );
      prompt.value = null;
      return true;
    } catch (e) {
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
      api.on('rating.requested', (r) => {
        if (r.counterId !== screenCounterId.value) return;
        submitted.value = null;
        submitError.value = null;
        prompt.value = r;
      }),
      api.on('rating.submitted', (e) => {
        // Rated elsewhere (another screen of this counter): this one stops asking.
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
    requested,
    lastLevel,
    requestError,
    requesting,
    request,
    startCounter,
    stopCounter,
    screenCounterId,
    prompt,
    submitted,
    submitting,
    submitError,
    loadPending,
    submit,
    idle,
    startScreen,
    stopScreen,
  };
});
