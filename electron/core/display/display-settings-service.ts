import { DEFAULT_DISPLAY_SETTINGS, type DisplaySettings } from '@shared/api';
import type { EventBus } from '../api/event-bus';
import type { DisplaySettingsStore } from './display-settings-store';

/**
 * The hall screens' layout and voice. They live with the queue (on the hub), so every screen of the hall
 * reads the same; a change goes out as `queue.changed`, on which the screens re-read their board, which
 * carries these settings.
 */
export function createDisplaySettingsService(deps: {
  store: DisplaySettingsStore;
  bus: EventBus;
  now: () => Date;
  /** The hall day the change belongs to, for the event. */
  hallDay: () => string;
}) {
  return {
    get: (): DisplaySettings => deps.store.get() ?? DEFAULT_DISPLAY_SETTINGS,
    update(settings: DisplaySettings): DisplaySettings {
      deps.store.put(settings, deps.now().toISOString());
      deps.bus.publish('queue.changed', { hallDay: deps.hallDay() });
      return deps.store.get()!;
    },
  };
}
export type DisplaySettingsService = ReturnType<typeof createDisplaySettingsService>;
