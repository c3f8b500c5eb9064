import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { MethodName } from '@shared/api';
import type { DeviceConfig } from '@shared/config';
import type { Handlers } from '../api/dispatch';
import type { AuditKeyring } from '../audit/keyed-chain';
import { LEADER_DATABASE_FILE_NAME, LEGACY_LEADER_DEVICE_KEY_FILE_NAME } from '../config/paths';
import { scheduleDailyBackup } from '../db/daily-backup';
import { leaderMigrations } from '../db/leader-migrations';
import { openDatabase } from '../db/open';
import type { ScryptParams } from '../leader/crypto';
import { createLeaderOutboxForwarder } from '../leader/outbox-forwarder';
import type { SecretBackend } from '../leader/storage-policy';
import { createLeaderService, type LeaderService } from '../services/leader-service';
import type { OutboxStore } from '../store/outbox-store';
import { createLeaderStore } from '../store/leader-store';

/**
 * The leader pane keeps its content in a database of its own (leader.sqlite, ciphertext and wrapped keys
 * only), backed up on its own, locked when idle, and forwards its outbox rows into the device's outbox.
 */
export async function createLeaderPane(deps: {
  dataDir: string;
  backupDir: string;
  /** The device database, whose outbox carries the leader's rows to central. */
  db: Database;
  outbox: OutboxStore;
  auditKeyring: AuditKeyring;
  config: DeviceConfig;
  secretBackend?: SecretBackend;
  scrypt?: ScryptParams;
  now: () => Date;
  log?: { error(obj: object, msg: string): void; warn?(obj: object, msg: string): void };
}) {
  const { dataDir, backupDir, db, outbox, config, now, log } = deps;
  const leaderDb = await openDatabase({
    file: path.join(dataDir, LEADER_DATABASE_FILE_NAME),
    migrations: leaderMigrations,
    backupDir,
    now,
  });
  // Sorting and big statements spill to temp files otherwise: plaintext never exists, but keep it all in memory anyway.
  leaderDb.db.pragma('temp_store = MEMORY');
  // Its backups hold only ciphertext and wrapped keys, like the file itself.
  const stopLeaderBackups = scheduleDailyBackup(leaderDb.db, {
    dir: backupDir,
    keep: config.backupsToKeep,
    now,
    onError: (e) => log?.error({ err: e }, 'daily leader store backup failed'),
  });
  // The device key of before leader migration 3 opened every leader's data key: nothing needs it now.
  const oldDeviceKey = path.join(dataDir, LEGACY_LEADER_DEVICE_KEY_FILE_NAME);
  if (fs.existsSync(oldDeviceKey)) {
    fs.rmSync(oldDeviceKey);
    log?.warn?.({ file: oldDeviceKey }, 'leader device key removed: leader content opens with the password only');
  }
  const leaderStore = createLeaderStore(leaderDb.db);
  let forwardLeader = (): void => undefined;
  const leader = createLeaderService({
    store: leaderStore,
    auditKeyring: deps.auditKeyring,
    crypto: config.crypto,
    secretBackend: deps.secretBackend ?? 'key-file',
    now,
    idleLockSeconds: config.leader.idleLockSeconds,
    scrypt: deps.scrypt,
    committed: () => forwardLeader(),
  });
  const leaderForwarder = createLeaderOutboxForwarder({
    store: leaderStore,
    outbox,
    deviceTransaction: (fn) => db.transaction(fn).immediate(),
    now,
  });
  let leaderIdleTimer: NodeJS.Timeout | undefined;

  return {
    leader,
    /** Idle locking and outbox forwarding begin once the device's sync has started (create-core.ts). */
    start() {
      leaderIdleTimer = setInterval(() => leader.lockIdle(), 10_000);
      leaderIdleTimer.unref();
      forwardLeader = () => {
        // Inside the sync pull's page transaction (a content import): the outbox rows must not ride on a
        // transaction that could still roll back after leader.sqlite marked them forwarded; forward once it ends.
        if (db.inTransaction) {
          setImmediate(forwardLeader);
          return;
        }
        try {
          leaderForwarder.forward();
        } catch (e) {
          // The rows stay marked unforwarded in leader.sqlite and go out with the next commit or start.
          log?.error({ err: e }, 'leader outbox forwarding failed');
        }
      };
      // What an earlier run left unforwarded; a row this device can no longer decrypt must not stop the start.
      forwardLeader();
    },
    close() {
      clearInterval(leaderIdleTimer);
      stopLeaderBackups();
      leader.lockAll('shutdown');
      leaderDb.db.close();
    },
  };
}

type LeaderMethod = Extract<MethodName, `leader.${string}`>;

/** The contract's leader pane methods. */
export function leaderHandlers(deps: {
  leader: LeaderService;
  /** Central's id of the leader this device is enrolled for; null when not enrolled for one. */
  enrolledLeaderId(): string | null;
  /** Asks for a sync round now. */
  nudgeSync(): void;
}): Pick<Handlers, LeaderMethod> {
  const { leader } = deps;
  return {
    'leader.session.status': (_input, caller) => leader.status(caller),
    'leader.session.login': (input, caller) => leader.login(input, caller),
    'leader.session.lock': (_input, caller) => leader.lock(caller),
    'leader.password.change': (input, caller) => leader.changePassword(input, caller),
    'leader.schedule.list': (input, caller) => leader.schedule(input, caller),
    'leader.briefing.list': (_input, caller) => leader.briefings(caller),
    'leader.briefing.open': (input, caller) => leader.openBriefing(input, caller),
    'leader.file.list': (_input, caller) => leader.files(caller),
    'leader.file.view': (input, caller) => leader.viewFile(input, caller),
    'leader.action': (input, caller) => leader.act(input, caller),
    'leader.audit.verify': () => leader.verifyAudit(),
    'leader.admin.enrol': async (input, caller) => {
      // A device enrolled with central for a leader creates that leader's account under central's id
      // (its first account, unless told otherwise), so the content central sends for them is sealed for
      // this account, and pulled at once.
      const central = deps.enrolledLeaderId();
      const leaderId = input.leaderId ?? (central && !leader.hasAccount(central) ? central : undefined);
      const enrolment = await leader.enrol({ ...input, leaderId }, caller);
      deps.nudgeSync();
      return enrolment;
    },
    'leader.admin.import': (input, caller) => leader.importContent(input, caller),
    'leader.admin.storage': () => leader.storage(),
  };
}
