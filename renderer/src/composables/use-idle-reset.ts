import { onBeforeUnmount, onMounted, readonly, ref, toValue, watch, type MaybeRefOrGetter } from 'vue';

/** What counts as someone using the screen: touch, mouse, pen, keys and scrolling. */
const ACTIVITY_EVENTS = ['pointerdown', 'touchstart', 'keydown', 'wheel'] as const;
const TICK_MS = 250;

/**
 * Calls `onIdle` once nobody has touched the screen or pressed a key for `seconds` while `active` holds,
 * so a citizen who walks away does not leave their choices (or ticket) for the next person.
 * `remaining` counts down in whole seconds for a warning on screen.
 */
export function useIdleReset(opts: {
  seconds: MaybeRefOrGetter<number>;
  active: MaybeRefOrGetter<boolean>;
  onIdle: () => void;
}) {
  const remaining = ref(toValue(opts.seconds));
  let deadline = 0;
  let timer: ReturnType<typeof setInterval> | undefined;

  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };

  function tick() {
    const left = deadline - Date.now();
    remaining.value = Math.max(0, Math.ceil(left / 1000));
    if (left > 0) return;
    stop();
    opts.onIdle();
  }

  /** Starts the countdown again from the full time (or stops it while inactive). */
  function poke() {
    stop();
    const seconds = toValue(opts.seconds);
    remaining.value = seconds;
    if (!toValue(opts.active)) return;
    deadline = Date.now() + seconds * 1000;
    // An interval rather than one long timeout, so `remaining` can drive a visible countdown.
    timer = setInterval(tick, TICK_MS);
  }

  watch(() => [toValue(opts.active), toValue(opts.seconds)], poke);
  onMounted(() => {
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, poke, { capture: true, passive: true });
    poke();
  });
  onBeforeUnmount(() => {
    stop();
    for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, poke, { capture: true });
  });

  return { remaining: readonly(remaining), poke };
}
