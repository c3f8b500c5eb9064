import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { Rating, RatingRequest } from '@shared/api';
import { newMutationId } from '../api/mutation-id';
import { sendMutation } from '../api/send-mutation';
import { useCounterStore, type Notice } from './counter';
import { useIntakeStore } from './intake';
import { describeIntakeError } from './refusal-notice';
import { useSessionStore } from './session';

/**
 * 好差评 at the counter: the counter shows a pairing code for its rating screen; after a finished service it
 * asks for the rating (the core issues a one-time token for that visit to the paired screen only, whose
 * side is stores/rating-screen.ts), and sees the result. Also the ratings list with the rated clerk's
 * appeal and the supervisor's decision.
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
  /**
   * Asks for the rating each time the clerk finishes a service (完成办理). The next ticket called is another
   * citizen: what the last one was asked or chose leaves the counter's screen then ("本次" is theirs).
   */
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
        if (e.counterId !== counter.counterId || requested.value?.visitId !== e.visitId) return;
        requested.value = null;
        lastLevel.value = e.level;
      }),
      watch(
        () => counter.current?.id,
        (id, before) => {
          if (!id || id === before) return;
          requested.value = null;
          lastLevel.value = null;
          requestError.value = null;
        },
      ),
    ];
  }
  function stopCounter() {
    for (const stop of counterStops) stop();
    counterStops = [];
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
    ratings,
    ratingsError,
    loadRatings,
    fileAppeal,
    decideAppeal,
    pairingCode,
    showPairingCode,
  };
});
