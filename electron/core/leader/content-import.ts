import { AppError, describeIssues, type LeaderBundle, type LeaderImportResult } from '@shared/api';
import { pulledLeaderContentSchema } from '@shared/api/methods/leader';
import type { Caller } from '../api/caller';
import { checkedFileBytes } from './file-check';
import { leaderAad as aad } from './legacy-conversion';
import type { PaneCore } from './pane-core';
import { sealJsonTo, sealTo } from './seal-box';
import type { AccountRow, RecordKind, RecordSource } from '../store/leader-store';

/*
 * A record's source (central or local) is in clear beside it and not in its AAD. It is no secret (the
 * kind and leader are in clear too) and it only decides which rows a reset of central's history drops:
 * whoever can flip it on disk can as well delete the row outright, which no AAD prevents either.
 */
const legacyPending = (leaderId: string) =>
  new AppError(
    'CONFLICT',
    `leader ${leaderId} has not signed in since the key upgrade: nothing is sealed for them yet`,
    {
      reason: 'leader_key_upgrade_pending',
      leaderId,
    },
  );

/** Content sealed in for a leader, imported by hand or pulled from central, and its removal. */
export function createLeaderContentImport(core: PaneCore) {
  const { deps, store, now, audit, write, refuseInsecureStorage } = core;

  /**
   * Content imported by hand for one leader, sealed to their public key (so it arrives while the pane is
   * locked, and only their password opens it). All of the bundle is written, or none of it. It is
   * this device's own: a restarted central history never drops it, and central's rows never replace it.
   */
  function importContent(bundle: LeaderBundle, caller: Pick<Caller, 'origin'>): LeaderImportResult {
    const account = store.accountByLogin(bundle.leader);
    if (!account) throw new AppError('NOT_FOUND', `no leader "${bundle.leader}"`, { reason: 'leader_not_found' });
    return importFor(account, bundle, 'local', caller);
  }

  function importFor(
    account: AccountRow,
    content: Omit<LeaderBundle, 'leader'>,
    source: RecordSource,
    caller: Pick<Caller, 'origin'>,
  ): LeaderImportResult {
    refuseInsecureStorage();
    const publicKey = account.seal_public;
    if (!publicKey) throw legacyPending(account.id);
    const files = content.files.map((f) => ({ file: f, bytes: checkedFileBytes(f) }));
    const at = now().toISOString();
    // Ids of hand-imported records that central's rows left alone.
    const kept: string[] = [];
    /** False when the id is a hand-imported record and this is central's row: the local one stays. */
    const put = (id: string, kind: RecordKind, value: unknown): boolean => {
      const body = sealJsonTo(publicKey, value, aad.record(account.id, kind, id), deps.crypto);
      if (store.upsertRecord({ id, leaderId: account.id, kind, source, body, at })) return true;
      const there = store.recordOwner(id);
      // Skipped rather than refused, so one such row does not stop the pull of everything after it.
      if (source === 'central' && there?.source === 'local') {
        kept.push(id);
        return false;
      }
      const what = there?.source === 'central' ? 'content pulled from central' : 'other content';
      throw new AppError('CONFLICT', `record ${id} belongs to ${what}`, { reason: 'id_taken', id });
    };
    let removed = 0;
    write(() => {
      for (const { id, ...rest } of content.schedules) put(id, 'schedule', rest);
      for (const { id, ...rest } of content.briefings) put(id, 'briefing', rest);
      for (const { file, bytes } of files) {
        const { id, dataBase64: _drop, ...meta } = file;
        if (put(id, 'file', { ...meta, size: bytes.length })) {
          store.putFileBlob(id, sealTo(publicKey, bytes, aad.blob(account.id, id), deps.crypto));
        }
      }
      for (const id of content.remove) if (store.deleteRecord(id, account.id, source)) removed++;
      const orphanActions = removed > 0 ? store.deleteOrphanActions(account.id) : 0;
      // Leader migration 2 told existing records apart by these rows: event `import`, origin `sync` for the pull.
      audit(caller, account.id, 'import', null, {
        source,
        schedules: content.schedules.length,
        briefings: content.briefings.length,
        files: files.length,
        removed,
        orphanActions,
        keptLocal: kept.length,
      });
      // Each local record central's row did not replace: an id, never content.
      for (const id of kept) audit(caller, account.id, 'import.kept_local', id);
    });
    return {
      schedules: content.schedules.length,
      briefings: content.briefings.length,
      files: files.length,
      removed,
    };
  }

  return {
    importContent,
    /**
     * The sync pull's entry: one page of central's content for the leader of this id, validated with the
     * same item schemas as the admin import and sealed the same way (the pane may stay locked).
     */
    importLeaderContent(leaderId: string, content: unknown): LeaderImportResult {
      const account = store.accountById(leaderId);
      if (!account) throw new AppError('NOT_FOUND', `no leader ${leaderId}`, { reason: 'leader_not_found' });
      const parsed = pulledLeaderContentSchema.safeParse(content);
      if (!parsed.success) {
        throw new AppError('INVALID_INPUT', 'invalid leader content from central', {
          reason: 'bad_bundle',
          issues: describeIssues(parsed.error),
        });
      }
      return importFor(account, parsed.data, 'central', { origin: 'sync' });
    },
    /**
     * Central's history restarted, or the device was enrolled again: drop what was pulled of one kind (the
     * full download follows). Content imported by hand stays, central never had it. Actions on the dropped
     * records stay too, since most of them come back with the download; `dropOrphanActions` clears the
     * rest once it is done. Not `toCentral`: the audit row stays in the local chain only, marked as
     * forwarded (the device moved to another hall, whose central must not get the old hall's history).
     */
    dropPulledContent(leaderId: string, kind: RecordKind, opts: { toCentral: boolean }): void {
      if (!store.accountById(leaderId)) return;
      write(() => {
        const removed = store.deleteKind(leaderId, kind, 'central');
        const seq = audit({ origin: 'sync' }, leaderId, 'import.reset', null, { kind, removed });
        if (!opts.toCentral) store.markAuditForwarded(seq);
      });
    },
    /**
     * Read marks, 批示 and approvals whose record is gone (for good: call once central's content is all
     * here), already forwarded to central. The audit rows naming such records stay: they are history, and
     * the hash chain forbids changing them.
     */
    dropOrphanActions(leaderId: string): number {
      if (!store.accountById(leaderId)) return 0;
      const dropped = store.transaction(() => {
        const n = store.deleteOrphanActions(leaderId);
        if (n > 0) audit({ origin: 'sync' }, leaderId, 'actions.orphaned', null, { dropped: n });
        return n;
      });
      if (dropped > 0) deps.committed?.();
      return dropped;
    },
  };
}
