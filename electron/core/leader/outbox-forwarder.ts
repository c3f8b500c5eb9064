import type { LeaderActionArgs, LeaderAuditArgs } from '@shared/sync/mutations/leader';
import type { OutboxStore } from '../store/outbox-store';
import type { LeaderStore } from '../store/leader-store';
import { openJson } from './crypto';

const BATCH = 200;

/**
 * Copies committed leader actions and audit rows from leader.sqlite into the device outbox.
 *
 * The two files cannot share a transaction, so the leader store is the source of truth: an action and
 * its audit row commit there first with `forwarded = 0`; then they are appended to the outbox in one
 * device transaction; then marked forwarded. A crash between the last two steps is healed at the next
 * start, or at the next forward after a failed one (`recover`): a row already in the outbox (found by its
 * entity id) is only marked. Nothing is lost and nothing is sent twice.
 */
export function createLeaderOutboxForwarder(deps: {
  store: LeaderStore;
  outbox: OutboxStore;
  deviceTransaction: <T>(fn: () => T) => T;
  /** The data key of a leader, to read the comment of an action for central. */
  dekOf: (leaderId: string) => Buffer;
  now: () => Date;
}) {
  const { store, outbox, deviceTransaction, dekOf, now } = deps;
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
          const { comment } = openJson<{ comment: string | null }>(
            dekOf(a.leader_id),
            a.body,
            `leader_action:${a.leader_id}:${a.id}`,
          );
          const args: LeaderActionArgs = {
            id: a.id,
            leaderId: a.leader_id,
            targetId: a.target_id,
            action: a.action,
            comment,
            at: a.at,
          };
          outbox.append({ name: 'leader.action', version: 1, args, entityId: a.id }, at);
        }
        for (const e of audits) {
          if (recover && sent(auditEntity(e.hash), 'leader.audit')) continue;
          const args: LeaderAuditArgs = e;
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
