import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type {
  Briefing,
  BriefingSummary,
  LeaderAction,
  LeaderFileSummary,
  LeaderFileView,
  LeaderSession,
  ScheduleItem,
} from '@shared/api';
import { localDate, startOfLocalDate } from '@shared/queue/hall-day';
import { ApiCallError } from '../api/api-call-error';
import { errorKey } from '../api/error-key';
import { newMutationId } from '../api/mutation-id';
import type { Notice } from './counter';
import { useSessionStore } from './session';
import { useSystemStore } from './system';

export type ScheduleMode = 'day' | 'week';
/** How often activity on the page is reported to the core, which expires idle sessions on its own. */
const PING_MS = 30_000;

/** Calendar arithmetic on YYYY-MM-DD dates of the hall: no zone is involved until a day becomes instants. */
const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** Weeks start on Monday, as Chinese office calendars do. */
const startOfWeek = (date: string) => addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));

const reasonOf = (e: unknown): string | undefined =>
  e instanceof ApiCallError ? (e.details as { reason?: unknown } | undefined)?.reason?.toString() : undefined;
const endedOf = (e: ApiCallError): string | undefined =>
  (e.details as { ended?: unknown } | undefined)?.ended?.toString();

/** The leader pane: its lock state and the decrypted content it shows while unlocked (memory only). */
export const useLeaderStore = defineStore('leader', () => {
  const session = ref<LeaderSession>({ state: 'locked', idleLockSeconds: 180 });
  const notice = ref<Notice | null>(null);
  const busy = ref(false);
  /** Until when sign-in is refused after too many failures (epoch ms), for the countdown. */
  const lockedOutUntil = ref(0);

  const mode = ref<ScheduleMode>('day');
  /** The hall day the schedule shows (its week in week mode); null: the hall's today. */
  const anchor = ref<string | null>(null);
  const system = useSystemStore();
  const schedule = shallowRef<ScheduleItem[]>([]);
  const briefings = shallowRef<BriefingSummary[]>([]);
  const files = shallowRef<LeaderFileSummary[]>([]);
  const openBriefing = shallowRef<Briefing | null>(null);
  const openFile = shallowRef<LeaderFileView | null>(null);
  let lastPing = 0;

  const unlocked = computed(() => session.value.state === 'unlocked');
  const leaderName = computed(() => (session.value.state === 'unlocked' ? session.value.leaderName : ''));
  /** The hall days shown and the instants they span in the hall's zone, whatever the PC's zone is. */
  const range = computed(() => {
    const zone = system.timeZone;
    const day = anchor.value ?? localDate(system.coreNow(), zone);
    const first = mode.value === 'day' ? day : startOfWeek(day);
    const days = Array.from({ length: mode.value === 'day' ? 1 : 7 }, (_, i) => addDays(first, i));
    return { days, from: startOfLocalDate(first, zone), to: startOfLocalDate(addDays(first, days.length), zone) };
  });

  const api = () => useSessionStore().api();

  /** Forgets everything decrypted: what is locked must not linger in the page's memory either. */
  function clearContent() {
    schedule.value = [];
    briefings.value = [];
    files.value = [];
    openBriefing.value = null;
    openFile.value = null;
  }

  function becameLocked(next: LeaderSession, why?: Notice) {
    session.value = next;
    clearContent();
    if (why) notice.value = why;
  }

  /** A refused call: a lock the core decided (idle, screen lock) locks the page too. */
  function fail(e: unknown): void {
    // The dispatcher refuses a locked pane before the pane's own check: SIGN_IN_REQUIRED, `ended: idle`
    // when it locked itself.
    const ended = e instanceof ApiCallError && e.code === 'SIGN_IN_REQUIRED' ? endedOf(e) : undefined;
    const reason = ended === undefined ? reasonOf(e) : ended === 'idle' ? 'session_expired' : 'leader_locked';
    if (reason === 'session_expired' || reason === 'leader_locked') {
      becameLocked(
        { state: 'locked', idleLockSeconds: session.value.idleLockSeconds },
        { key: `leaderPage.reasons.${reason}` },
      );
      return;
    }
    if (reason === 'record_unreadable') {
      notice.value = { key: 'leaderPage.reasons.record_unreadable' };
      return;
    }
    notice.value = { key: errorKey(e) };
  }

  async function guarded<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      fail(e);
      return undefined;
    }
  }

  async function refreshStatus() {
    const s = await guarded(() => api().call('leader.session.status', {}));
    if (!s) return;
    if (s.state === 'locked' && unlocked.value) becameLocked(s, { key: 'leaderPage.reasons.session_expired' });
    else session.value = s;
    lastPing = Date.now();
  }

  /** Called on user activity: tells the core at most every 30 s that someone is still here. */
  function activity() {
    if (unlocked.value && Date.now() - lastPing >= PING_MS) void refreshStatus();
  }

  async function login(input: { login: string; password: string; code: string }): Promise<boolean> {
    busy.value = true;
    notice.value = null;
    try {
      session.value = await api().call('leader.session.login', input);
      lastPing = Date.now();
      lockedOutUntil.value = 0;
      await loadAll();
      return true;
    } catch (e) {
      const reason = reasonOf(e);
      const details = (e instanceof ApiCallError ? e.details : {}) as {
        retryAfterSeconds?: number;
        attemptsLeft?: number;
      };
      if (reason === 'locked_out') {
        lockedOutUntil.value = Date.now() + (details.retryAfterSeconds ?? 30) * 1000;
        notice.value = { key: 'leaderPage.reasons.locked_out' };
      } else if (reason === 'bad_credentials') {
        notice.value =
          details.attemptsLeft !== undefined && details.attemptsLeft > 0
            ? { key: 'leaderPage.reasons.bad_credentials_left', params: { left: details.attemptsLeft } }
            : { key: 'leaderPage.reasons.bad_credentials' };
      } else fail(e);
      return false;
    } finally {
      busy.value = false;
    }
  }

  async function lock(reason: 'manual' | 'idle' = 'manual') {
    const s = await guarded(() => api().call('leader.session.lock', {}));
    becameLocked(
      s ?? { state: 'locked', idleLockSeconds: session.value.idleLockSeconds },
      reason === 'idle' ? { key: 'leaderPage.reasons.idle_locked' } : undefined,
    );
  }

  async function loadSchedule() {
    const { from, to } = range.value;
    const items = await guarded(() =>
      api().call('leader.schedule.list', { from: from.toISOString(), to: to.toISOString() }),
    );
    if (items) schedule.value = items;
  }
  async function loadBriefings() {
    const list = await guarded(() => api().call('leader.briefing.list', {}));
    if (list) briefings.value = list;
  }
  async function loadFiles() {
    const list = await guarded(() => api().call('leader.file.list', {}));
    if (list) files.value = list;
  }
  const loadAll = () => Promise.all([loadSchedule(), loadBriefings(), loadFiles()]);

  function setMode(next: ScheduleMode) {
    mode.value = next;
    void loadSchedule();
  }
  function move(steps: number) {
    anchor.value = steps === 0 ? null : addDays(range.value.days[0]!, steps * (mode.value === 'day' ? 1 : 7));
    void loadSchedule();
  }

  async function showBriefing(id: string) {
    openFile.value = null;
    const b = await guarded(() => api().call('leader.briefing.open', { id }));
    if (b) openBriefing.value = b;
  }
  async function showFile(id: string) {
    openBriefing.value = null;
    const f = await guarded(() => api().call('leader.file.view', { id }));
    if (f) openFile.value = f;
  }
  function closeViewer() {
    openBriefing.value = null;
    openFile.value = null;
  }

  async function act(targetId: string, action: LeaderAction['action'], comment?: string): Promise<boolean> {
    const done = await guarded(() =>
      api().call('leader.action', { mutationId: newMutationId(), targetId, action, ...(comment ? { comment } : {}) }),
    );
    if (!done) return false;
    const withAction = <T extends { id: string; read: boolean; approved: boolean; actions: LeaderAction[] }>(
      o: T,
    ): T =>
      o.id === targetId
        ? {
            ...o,
            read: o.read || action === 'read',
            approved: o.approved || action === 'approve',
            actions: [...o.actions, done],
          }
        : o;
    if (openBriefing.value) openBriefing.value = withAction(openBriefing.value);
    if (openFile.value) openFile.value = withAction(openFile.value);
    await Promise.all([loadBriefings(), loadFiles()]);
    return true;
  }

  return {
    session,
    notice,
    busy,
    lockedOutUntil,
    mode,
    anchor,
    range,
    schedule,
    briefings,
    files,
    openBriefing,
    openFile,
    unlocked,
    leaderName,
    refreshStatus,
    activity,
    login,
    lock,
    loadAll,
    setMode,
    move,
    showBriefing,
    showFile,
    closeViewer,
    act,
  };
});
