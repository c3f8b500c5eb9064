import { onBeforeUnmount, onMounted } from 'vue';

/**
 * A kiosk keypad's hardware keys while the keypad is on screen: a keyboard, or a barcode scanner that types the
 * code and presses Enter. Keys with a modifier are left to the browser.
 */
export function useKeypadKeys(keys: {
  /** The characters the keypad itself offers. */
  accepts: RegExp;
  type(key: string): void;
  enter(): void;
  backspace(): void;
  escape(): void;
}): void {
  function onKey(e: KeyboardEvent) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'Enter') keys.enter();
    else if (e.key === 'Backspace') keys.backspace();
    else if (e.key === 'Escape') keys.escape();
    else if (keys.accepts.test(e.key)) keys.type(e.key);
    else return;
    e.preventDefault();
  }
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
