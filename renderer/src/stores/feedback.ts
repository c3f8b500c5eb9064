import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { Feedback, MethodInput } from '@shared/api';
import type { FEEDBACK_KINDS, FEEDBACK_STATUSES } from '@shared/api/methods/feedback';
import { sendMutation } from '../api/send-mutation';
import { newMutationId } from '../api/mutation-id';
import type { Notice } from './counter';
import { describeIntakeError } from './refusal-notice';
import { useSessionStore } from './session';

type Kind = (typeof FEEDBACK_KINDS)[number];
type Status = (typeof FEEDBACK_STATUSES)[number];
type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type FeedbackCreate = Omit<MethodInput<'feedback.create'>, 'mutationId'>;
export type FeedbackUpdate = Without<MethodInput<'feedback.update'>, 'mutationId'>;

/** Working days the core gives each kind when no due date is chosen (shared/api/methods/feedback.ts). */
export const DEFAULT_DUE_DAYS: Record<Kind, number> = { complaint: 5, enquiry: 1, suggestion: 10 };

/** Complaints, suggestions and enquiries (投诉/建议/咨询) with their return visits (回访). */
export const useFeedbackStore = defineStore('feedback', () => {
  const session = useSessionStore();

  const items = ref<Feedback[]>([]);
  const overdueOnly = ref(false);
  const status = ref<Status | ''>('');
  const listError = ref<Notice | null>(null);
  const pending = ref<string | null>(null);
  const retrying = ref(0);
  const error = ref<Notice | null>(null);

  async function load() {
    try {
      items.value = await session.api().call('feedback.list', {
        overdueOnly: overdueOnly.value,
        ...(status.value ? { status: status.value } : {}),
        limit: 200,
      });
      listError.value = null;
    } catch (e) {
      listError.value = describeIntakeError(e);
    }
  }

  /** One mutation at a time (a double click is one item); the answer replaces the item in the list. */
  async function mutate(name: string, send: (mutationId: string) => Promise<Feedback>): Promise<Feedback | null> {
    if (pending.value) return null;
    pending.value = name;
    error.value = null;
    const mutationId = newMutationId();
    try {
      const saved = await sendMutation(
        () => send(mutationId),
        (n) => (retrying.value = n),
      );
      const at = items.value.findIndex((f) => f.id === saved.id);
      if (at >= 0) items.value.splice(at, 1, saved);
      else void load();
      return saved;
    } catch (e) {
      error.value = describeIntakeError(e);
      return null;
    } finally {
      pending.value = null;
    }
  }

  const create = (input: FeedbackCreate) =>
    mutate('create', (mutationId) => session.api().call('feedback.create', { mutationId, ...input }));
  const update = (input: FeedbackUpdate) =>
    mutate(input.action, (mutationId) =>
      session.api().call('feedback.update', { mutationId, ...input } as MethodInput<'feedback.update'>),
    );
  const scheduleVisit = (feedbackId: string, scheduledFor: string, method: 'phone' | 'sms' | 'visit') =>
    mutate('schedule', (mutationId) =>
      session.api().call('feedback.returnVisit.schedule', { mutationId, feedbackId, scheduledFor, method }),
    );
  const recordVisit = (
    returnVisitId: string,
    outcome: MethodInput<'feedback.returnVisit.record'>['outcome'],
    note: string,
  ) =>
    mutate('record', (mutationId) =>
      session.api().call('feedback.returnVisit.record', { mutationId, returnVisitId, outcome, note }),
    );

  let stopFns: (() => void)[] = [];
  function startLive() {
    stopLive();
    const api = session.api();
    stopFns = [
      api.on('feedback.changed', () => void load()),
      watch([overdueOnly, status], () => void load()),
      watch(
        () => session.connection,
        (state, before) => {
          if (state === 'online' && before === 'offline') void load();
        },
      ),
    ];
    void load();
  }
  function stopLive() {
    for (const stop of stopFns) stop();
    stopFns = [];
  }

  return {
    items,
    overdueOnly,
    status,
    listError,
    pending,
    retrying,
    error,
    load,
    create,
    update,
    scheduleVisit,
    recordVisit,
    startLive,
    stopLive,
  };
});
