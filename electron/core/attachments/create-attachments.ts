import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { CryptoProfileName } from '@shared/crypto/profile';
import type { SecretStore } from '../sync/secret-store';
import { createAttachmentCipher } from './attachment-cipher';
import { createPageFiles, type PageFs } from './attachment-files';
import { createAttachmentService } from './attachment-service';
import { createAttachmentStore } from './attachment-store';
import { createAttachmentUploader, type UploadTiming } from './attachment-uploader';
import { ATTACHMENTS_FOLDER } from './attachments-folder';

const PRUNE_EVERY_MS = 60 * 60_000;

/** Wires the counter's scanned pages: store, sealed files, the upload channel to central and the daily prune. */
export function createAttachments(deps: {
  db: Database;
  dataDir: string;
  secrets: SecretStore;
  /** What new pages are sealed with; absent: the default profile. */
  crypto?: CryptoProfileName;
  retentionDays: number;
  connection: () => { url: string; token: string } | undefined;
  /** The sync round in progress, if any: page uploads pause for it. */
  syncBusy?: () => Promise<unknown> | undefined;
  now: () => Date;
  fetch?: typeof fetch;
  timing?: Partial<UploadTiming>;
  fs?: PageFs;
  log?: { warn(obj: object, msg: string): void };
}) {
  const store = createAttachmentStore(deps.db);
  const files = createPageFiles(path.join(deps.dataDir, ATTACHMENTS_FOLDER), deps.fs);
  const cipher = createAttachmentCipher(deps.secrets, deps.crypto);
  const service = createAttachmentService({ store, files, cipher, now: deps.now, retentionDays: deps.retentionDays });
  const uploader = createAttachmentUploader({
    store,
    files,
    cipher,
    connection: deps.connection,
    syncBusy: deps.syncBusy,
    now: deps.now,
    fetch: deps.fetch,
    timing: deps.timing,
    log: deps.log,
  });
  let pruneTimer: NodeJS.Timeout | undefined;
  const prune = () => {
    try {
      service.prune();
    } catch (e) {
      deps.log?.warn({ err: e instanceof Error ? e.message : String(e) }, 'pruning confirmed pages failed');
    }
  };
  return {
    service,
    uploader,
    /** Starts the upload loop and the hourly prune. */
    start() {
      uploader.start();
      prune();
      pruneTimer ??= setInterval(prune, PRUNE_EVERY_MS);
      pruneTimer.unref();
    },
    async stop() {
      if (pruneTimer) clearInterval(pruneTimer);
      pruneTimer = undefined;
      await uploader.stop();
    },
  };
}
export type Attachments = ReturnType<typeof createAttachments>;
