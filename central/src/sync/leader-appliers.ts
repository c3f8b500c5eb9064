import { centralCommentAad } from '@shared/leader/seal-format';
import type { LeaderActionArgs, LeaderActionSealedArgs, LeaderAuditArgs } from '@shared/sync/mutations/leader';
import { leaderStore } from '../store/leader-store';
import { Rejection, type Applier } from './appliers';
import type { LeaderSealKey } from './leader-seal';

/**
 * The leader device's actions and audit rows; like the intake's, their args are already parsed by the
 * registry. A version-2 action carries its comment sealed for central's key: opened here, kept as before.
 */
export function leaderAppliers(seal: LeaderSealKey): Record<string, Applier> {
  /** The clear comment of a v2 action; a box not sealed for this central (or for another action) is refused. */
  const commentOf = (a: LeaderActionSealedArgs): string | null => {
    let opened: unknown;
    try {
      opened = JSON.parse(
        seal.open(Buffer.from(a.sealedComment, 'base64'), centralCommentAad(a.leaderId, a.id)).toString('utf8'),
      );
    } catch {
      throw new Rejection('SEALED_COMMENT_UNREADABLE', { actionId: a.id });
    }
    const comment = (opened as { comment?: unknown } | null)?.comment;
    if (comment === null || (typeof comment === 'string' && comment.length <= 2000)) return comment;
    throw new Rejection('SEALED_COMMENT_INVALID', { actionId: a.id });
  };
  return {
    'leader.action': async (tx, ctx) => {
      const args = ctx.args as LeaderActionArgs | LeaderActionSealedArgs;
      // A leader device acts only for the leader it is enrolled for.
      if (args.leaderId !== ctx.device.leaderId) throw new Rejection('FOREIGN_LEADER', { leaderId: args.leaderId });
      const a: LeaderActionArgs =
        'sealedComment' in args
          ? {
              id: args.id,
              leaderId: args.leaderId,
              targetId: args.targetId,
              action: args.action,
              comment: commentOf(args),
              at: args.at,
            }
          : args;
      await leaderStore.insertAction(tx, { ...a, hallId: ctx.device.hallId, deviceId: ctx.device.id });
      return { actionId: a.id };
    },
    'leader.audit': async (tx, ctx) => {
      // Every row is kept, whoever it names: the chain is the device's, and a gap would break it.
      const a = ctx.args as LeaderAuditArgs;
      const saved = await leaderStore.insertAudit(tx, ctx.device.id, a);
      // The same row again is harmless; another row at a held seq is a forked chain and stays out.
      if ('heldHash' in saved && saved.heldHash !== a.hash) throw new Rejection('AUDIT_SEQ_TAKEN', { seq: a.seq });
      return { seq: a.seq };
    },
  };
}
