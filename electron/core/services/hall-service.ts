import type { HallProfile, HallProfileUpdate } from '@shared/api';
import type { DeviceConfig } from '@shared/config';
import type { EventBus } from '../api/event-bus';
import type { HallProfileStore } from '../store/hall-profile-store';

export function createHallService(deps: {
  store: HallProfileStore;
  bus: EventBus;
  config: DeviceConfig;
  now: () => Date;
}) {
  const { store, bus, config, now } = deps;
  return {
    /** Until an administrator saves a profile, the hall is known by the name in the device config. */
    profile(): HallProfile {
      return (
        store.get() ?? {
          name: config.hall.name,
          nameEn: '',
          address: '',
          enquiryPhone: '',
          trackingUrl: '',
          updatedAt: null,
        }
      );
    },
    update(input: HallProfileUpdate): HallProfile {
      store.put({ ...input, nameEn: input.nameEn ?? this.profile().nameEn }, now().toISOString());
      const saved = this.profile();
      bus.publish('hall.profile.changed', saved);
      return saved;
    },
  };
}
export type HallService = ReturnType<typeof createHallService>;
