import path from 'node:path';
import type { DeviceConfig } from '@shared/config';
import { createDispatcher, type Dispatch, type DispatchLog } from '../api/dispatch';
import { createEventBus, type EventBus } from '../api/event-bus';
import { DATABASE_FILE_NAME } from '../config/paths';
import { scheduleDailyBackup } from '../db/daily-backup';
import { deviceMigrations } from '../db/migrations';
import { openDatabase } from '../db/open';
import { createHallService } from '../services/hall-service';
import { createSystemService } from '../services/system-service';
import { createHallProfileStore } from '../store/hall-profile-store';

export interface CoreOptions {
  dataDir: string;
  config: DeviceConfig;
  appVersion: string;
  now?: () => Date;
  log?: DispatchLog;
}

export interface Core {
  dispatch: Dispatch;
  bus: EventBus;
  config: DeviceConfig;
  schemaVersion: number;
  close(): void;
}

/** Opens the device database and wires stores, services and the contract handlers. */
export async function createCore(opts: CoreOptions): Promise<Core> {
  const now = opts.now ?? (() => new Date());
  const backupDir = path.join(opts.dataDir, 'backups');
  const { db, schemaVersion } = await openDatabase({
    file: path.join(opts.dataDir, DATABASE_FILE_NAME),
    migrations: deviceMigrations,
    backupDir,
    now,
  });
  const stopBackups = scheduleDailyBackup(db, {
    dir: backupDir,
    keep: opts.config.backupsToKeep,
    now,
    onError: (e) => opts.log?.error({ err: e }, 'daily backup failed'),
  });

  const bus = createEventBus();
  const hall = createHallService({ store: createHallProfileStore(db), bus, config: opts.config, now });
  const system = createSystemService({
    appVersion: opts.appVersion,
    schemaVersion,
    config: opts.config,
    hall,
    now,
  });

  const dispatch = createDispatcher(
    {
      'system.info': (_input, caller) => system.info(caller),
      'hall.profile.get': () => hall.profile(),
      'hall.profile.update': (input) => hall.update(input),
    },
    opts.log,
  );

  return {
    dispatch,
    bus,
    config: opts.config,
    schemaVersion,
    close() {
      stopBackups();
      db.close();
    },
  };
}
