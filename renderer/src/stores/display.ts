import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import {
  DEFAULT_DISPLAY_SETTINGS,
  type BoardCounter,
  type BoardTicket,
  type DisplayBoard,
  type DisplaySettings,
  type QueueCall,
} from '@shared/api';
import { logAnnouncement } from '../voice/announcement-log';
import { createAnnouncer, type Announcer, type AnnouncementRecord, type PlayerState } from '../voice/announcer';
import { createSystemSpeaker } from '../voice/system-voice';
import { createWebAudioPlayer } from '../voice/web-audio-player';
import { chooseLayout, currentCall, type DisplayLayout } from './display-rules';
import { useSessionStore } from './session';

/** How many calls the board shows (the latest is also shown large). */
export const BOARD_CALLS = 8;
/** How long the latest call blinks after it arrives. */
const FLASH_MS = 4000;
/** Calls missed while offline are still announced after a reconnect if at most this old. */
const MISSED_CALL_MAX_AGE_MS = 60_000;
/** A failed board fetch is retried after this long (events alone would leave the screen stale). */
const RETRY_MS = 5000;

/**
 * The hall display: latest calls, waiting counts and the voice. The board comes from `queue.display.board`
 * (on start, after a reconnect, on `queue.changed`); a `queue.called` event is shown and announced at once.
 */
export const useDisplayStore = defineStore('display', () => {
  const hallDay = ref<string | null>(null);
  const calls = ref<QueueCall[]>([]);
  /** The history column: each called ticket once, newest call first (recalls and 过号 marked on its row). */
  const tickets = ref<BoardTicket[]>([]);
  const waiting = ref<DisplayBoard['waiting']>([]);
  const loaded = ref(false);
  const error = ref<unknown>(null);
  const flashCallId = ref<number | null>(null);
  const speaking = shallowRef<AnnouncementRecord | null>(null);
  const voice = ref<PlayerState>('starting');
  const counters = ref<BoardCounter[]>([]);
  const settings = ref<DisplaySettings>(DEFAULT_DISPLAY_SETTINGS);
  /** This screen's own choice (`#/display?layout=grid`), over the hall's setting. */
  const layoutOverride = ref<DisplayLayout | null>(null);

  const current = computed(() => currentCall(calls.value, tickets.value));
  const layout = computed(() => chooseLayout(layoutOverride.value ?? settings.value.layout, counters.value.length));

  let announcer: Announcer | undefined;
  let stops: (() => void)[] = [];
  let flashTimer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let started = false;
  let loading: Promise<void> | undefined;
  let reloadAgain = false;
  let lastCallId = 0;

  /** Newest first, one entry per callId, at most BOARD_CALLS. */
  function merge(incoming: readonly QueueCall[]) {
    const byId = new Map<number, QueueCall>();
    for (const c of [...incoming, ...calls.value]) if (!byId.has(c.callId)) byId.set(c.callId, c);
    calls.value = [...byId.values()].sort((a, b) => b.callId - a.callId).slice(0, BOARD_CALLS);
  }

  /** A live call moves its ticket's row to the top, counting a recall; a call after 过号 clears the mark. */
  function noteCall(call: QueueCall) {
    const before = tickets.value.find((r) => r.ticketId === call.ticketId);
    const row: BoardTicket = {
      ticketId: call.ticketId,
      ticketNumber: call.ticketNumber,
      queueId: call.queueId,
      counterNumber: call.counterNumber,
      callId: call.callId,
      at: call.at,
      recalls: call.recall ? (before?.recalls ?? 0) + 1 : 0,
      noShow: false,
      state: 'called',
    };
    tickets.value = [row, ...tickets.value.filter((r) => r.ticketId !== call.ticketId)].slice(0, BOARD_CALLS);
    // The window's tile shows it at once; the board re-read that follows confirms it.
    counters.value = counters.value.map((c) =>
      c.counterNumber === call.counterNumber
        ? { ...c, ticketNumber: call.ticketNumber, ticketState: 'called', callId: call.callId }
        : c,
    );
  }

  function flash(callId: number) {
    flashCallId.value = callId;
    clearTimeout(flashTimer);
    flashTimer = setTimeout(() => (flashCallId.value = null), FLASH_MS);
  }

  function onCalled(call: QueueCall) {
    // Already on the board: it was either announced or deliberately not (history at switch-on).
    if (calls.value.some((c) => c.callId === call.callId)) return;
    merge([call]);
    noteCall(call);
    lastCallId = Math.max(lastCallId, call.callId);
    if (calls.value[0]?.callId === call.callId) flash(call.callId);
    announcer?.announce(call);
  }

  async function fetchBoard(announceMissed: boolean) {
    try {
      const board = await useSessionStore().api().call('queue.display.board', { limit: BOARD_CALLS });
      if (board.hallDay !== hallDay.value) calls.value = [];
      hallDay.value = board.hallDay;
      // Newer than any call this page has heard of: made while its events were not arriving.
      const missed = board.calls.filter((c) => c.callId > lastCallId).sort((a, b) => a.callId - b.callId);
      merge(board.calls);
      tickets.value = board.tickets;
      waiting.value = board.waiting;
      counters.value = board.counters;
      settings.value = board.settings;
      error.value = null;
      if (announceMissed) {
        // Only a recent call is still news; an old one spoken now would send people to a counter in vain.
        // Aged by the core's clock, which made `at`: this screen's own clock may be off.
        const serverMs = Date.parse(board.serverTime);
        const recent = missed.filter((c) => serverMs - Date.parse(c.at) <= MISSED_CALL_MAX_AGE_MS);
        announcer?.markSeen(missed.filter((c) => !recent.includes(c)).map((c) => c.callId));
        for (const c of recent) announcer?.announce(c);
        const newest = recent.at(-1);
        if (newest && calls.value[0]?.callId === newest.callId) flash(newest.callId);
      } else {
        // Calls made before the screen was switched on are history, not news.
        announcer?.markSeen(board.calls.map((c) => c.callId));
      }
      lastCallId = Math.max(lastCallId, ...board.calls.map((c) => c.callId));
      loaded.value = true;
    } catch (e) {
      error.value = e;
      clearTimeout(retryTimer);
      if (started) retryTimer = setTimeout(() => void load({ announceMissed: true }), RETRY_MS);
    }
  }

  /** Re-fetches the board; calls during a fetch are folded into one more fetch after it. */
  function load(opts: { announceMissed?: boolean } = {}): Promise<void> {
    if (loading) {
      reloadAgain = true;
      return loading;
    }
    loading = (async () => {
      let announceMissed = opts.announceMissed ?? false;
      do {
        reloadAgain = false;
        await fetchBoard(announceMissed);
        announceMissed = true;
      } while (reloadAgain);
    })().finally(() => (loading = undefined));
    return loading;
  }

  function start() {
    stop();
    started = true;
    announcer = createAnnouncer(createWebAudioPlayer(), {
      onRecord: logAnnouncement,
      speaker: createSystemSpeaker(() => settings.value),
    });
    const a = announcer;
    stops.push(
      a.subscribe((s) => {
        speaking.value = s.speaking;
        voice.value = s.playerState;
      }),
    );
    const session = useSessionStore();
    const api = session.api();
    stops.push(api.on('queue.called', onCalled));
    stops.push(api.on('queue.changed', () => void load({ announceMissed: true })));
    // Events sent while the socket was down are lost: re-fetch, and speak calls made meanwhile.
    stops.push(
      watch(
        () => session.connection,
        (now, before) => {
          if (now === 'online' && before === 'offline') void load({ announceMissed: true });
        },
      ),
    );
    void load();
  }

  function stop() {
    started = false;
    clearTimeout(retryTimer);
    for (const s of stops) s();
    stops = [];
    announcer?.dispose();
    announcer = undefined;
    clearTimeout(flashTimer);
    speaking.value = null;
  }

  /** From the "enable voice" button: a user gesture lets the browser start audio. */
  async function enableVoice() {
    await announcer?.unlock();
  }

  return {
    hallDay,
    calls,
    tickets,
    waiting,
    loaded,
    error,
    flashCallId,
    speaking,
    voice,
    counters,
    settings,
    layoutOverride,
    layout,
    current,
    start,
    stop,
    load,
    enableVoice,
  };
});
