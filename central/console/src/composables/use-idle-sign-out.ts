import { onBeforeUnmount, onMounted } from 'vue';
import { SESSION_IDLE_SECONDS } from '@shared/console/session';
import { useSessionStore } from '../stores/session';

const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
/** A person working without sending anything tells central at most this often that the session is in use. */
const TOUCH_AFTER_MS = 5 * 60_000;

/**
 * Signs out after SESSION_IDLE_SECONDS without a key or a click, as central ends a session idle as long.
 * Typing a long note sends nothing, so activity also touches the session once central has not heard from
 * it for a while: central's idle clock then never runs out under someone who is working.
 */
export function useIdleSignOut() {
  const session = useSessionStore();
  let lastActivity = Date.now();
  let timer: ReturnType<typeof setInterval> | undefined;

  const onActivity = () => {
    lastActivity = Date.now();
    if (lastActivity - session.lastAnswered > TOUCH_AFTER_MS) {
      session.lastAnswered = lastActivity;
      void session.touch();
    }
  };
  const check = () => {
    if (Date.now() - lastActivity >= SESSION_IDLE_SECONDS * 1000) void session.signOut('idle');
  };

  onMounted(() => {
    for (const e of ACTIVITY) window.addEventListener(e, onActivity, { passive: true, capture: true });
    timer = setInterval(check, 15_000);
  });
  onBeforeUnmount(() => {
    for (const e of ACTIVITY) window.removeEventListener(e, onActivity, { capture: true });
    clearInterval(timer);
  });
}
