import type { SystemInfo } from '@shared/api';
import type { DeviceConfig } from '@shared/config';
import type { Caller } from '../api/caller';
import type { HallService } from './hall-service';

export function createSystemService(deps: {
  appVersion: string;
  schemaVersion: number;
  config: DeviceConfig;
  hall: HallService;
  now: () => Date;
  /** The hall's zone from the queue settings, read at each call so a change shows at once. */
  timeZone: () => string;
}) {
  return {
    info(caller: Caller): SystemInfo {
      return {
        product: 'OneWindow',
        appVersion: deps.appVersion,
        role: caller.role,
        hall: { code: deps.config.hall.code, name: deps.hall.profile().name },
        deviceCode: deps.config.deviceCode,
        schemaVersion: deps.schemaVersion,
        serverTime: deps.now().toISOString(),
        timeZone: deps.timeZone(),
        transport: caller.transport,
      };
    },
  };
}
