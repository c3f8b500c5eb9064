import type { LeaderActionSealedArgs, LeaderAuditArgs } from '@shared/sync/mutations/leader';
import type { OutboxStore } from '../store/outbox-store';
import type { LeaderStore } from '../store/leader-store';
import { auditHash } from './audit-chain';

const BATCH = 200;

/**
 * Copies committed leader actions and audit rows from leader.sqlite into the device outbox.
 *
 * The two files cannot share a transaction, so the leader store is the source of truth: an action and
 * its audit row commit there first with `forwarded = 0`; then they are appended to the outbox in one
 * device transaction; then marked forwarded. A crash between the last two steps is healed at the next
 * start, or at the next forward after a failed one (`recover`): a row already in the outbox (found by its
 * entity id) is only marked. Nothing is lost and nothing is sent twice.
 *
 * An action goes with its comment as sealed for central at the time it was written: this device cannot
 * read it without the leader's password, and neither can anyone holding the device database.
 */
export function createLeaderOutboxForwarder(deps: {
  store: LeaderStore;
  outbox: OutboxStore;
  deviceTransaction: <T>(fn: () => T) => T;
  now: () => Date;
}) {
  const { store, outbox, deviceTransaction, now } = deps;
  const auditEntity = (hash: string) => `leader-audit:${hash}`;
  const sent = (entityId: string, name: string) => outbox.forEntity(entityId).some((e) => e.name === name);

  // Until one forward has run to the end, rows left unmarked may already be in the outbox.
  let recover = true;

  return {
    forward(): number {
      let moved = 0;
      try {
        moved = copy();
        recover = false;
        return moved;
      } catch (e) {
        recover = true;
        throw e;
      }
    },
  };

  function copy(): number {
    let moved = 0;
    for (;;) {
      const actions = store.unforwardedActions(BATCH);
      const audits = store.unforwardedAudit(BATCH);
      if (actions.length === 0 && audits.length === 0) return moved;
      const at = now();
      deviceTransaction(() => {
        for (const a of actions) {
          if (recover && sent(a.id, 'leader.action')) continue;
          const args: LeaderActionSealedArgs = {
            id: a.id,
            leaderId: a.leader_id,
            targetId: a.target_id,
            action: a.action,
            // The store hands out only actions sealed for central.
            sealedComment: a.for_central!.toString('base64'),
            at: a.at,
          };
          outbox.append({ name: 'leader.action', version: 2, args, entityId: a.id }, at);
        }
        for (const e of audits) {
          if (recover && sent(auditEntity(e.hash), 'leader.audit')) continue;
          // The hash is keyed with the device's audit key; central checks its copy with the plain content hash.
          const args: LeaderAuditArgs = { ...e, contentHash: auditHash(e.prevHash, e) };
          outbox.append({ name: 'leader.audit', version: 1, args, entityId: auditEntity(e.hash) }, at);
        }
      });
      store.transaction(() => {
        for (const a of actions) store.markActionForwarded(a.id);
        for (const e of audits) store.markAuditForwarded(e.seq);
      });
      moved += actions.length + audits.length;
    }
  }
}
export type LeaderOutboxForwarder = ReturnType<typeof createLeaderOutboxForwarder>;
