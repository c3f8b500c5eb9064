import type { KeyObject } from 'node:crypto';
import { AppError, type LeaderAction } from '@shared/api';
import { centralCommentAad } from '@shared/leader/seal-format';
import type { Caller } from '../api/caller';
import { leaderAad as aad } from './legacy-conversion';
import type { PaneCore } from './pane-core';
import { openJsonBox, sealJsonTo } from './seal-box';
import type { LeaderSessions } from './sign-in';
import type { ActionRow } from '../store/leader-store';

export function actionView(leaderId: string, key: KeyObject, row: ActionRow): LeaderAction {
  const { comment } = openJsonBox<{ comment: string | null }>(key, row.body, aad.action(leaderId, row.id));
  return { id: row.id, targetId: row.target_id, action: row.action, comment, at: row.at };
}

/** The leader's read marks, approvals and 批示 on a briefing or file, each also sealed for central. */
export function createLeaderActions(core: PaneCore, sessions: LeaderSessions) {
  const { deps, store, now, audit, write } = core;
  const { requireSession } = sessions;

  function act(
    input: { mutationId: string; targetId: string; action: LeaderAction['action']; comment?: string },
    caller: Caller,
  ): LeaderAction {
    const s = requireSession(caller);
    const seen = store.action(input.mutationId);
    if (seen) {
      if (seen.leader_id !== s.leaderId || seen.target_id !== input.targetId || seen.action !== input.action) {
        throw new AppError('CONFLICT', 'mutation id already used for another action', { reason: 'mutation_reused' });
      }
      return actionView(s.leaderId, s.key, seen);
    }
    const target = store.record(s.leaderId, input.targetId);
    if (!target || target.kind === 'schedule') {
      throw new AppError('NOT_FOUND', `no briefing or file ${input.targetId}`, { reason: 'target_not_found' });
    }
    const account = store.accountById(s.leaderId)!;
    const body = { comment: input.comment ?? null };
    // Sealed for central too when the device knows its key; else at the leader's next sign-in after it does.
    const centralKey = store.centralKey();
    const row: ActionRow = {
      id: input.mutationId,
      leader_id: s.leaderId,
      target_id: input.targetId,
      action: input.action,
      body: sealJsonTo(account.seal_public!, body, aad.action(s.leaderId, input.mutationId), deps.crypto),
      at: now().toISOString(),
      for_central: centralKey ? sealJsonTo(centralKey, body, centralCommentAad(s.leaderId, input.mutationId)) : null,
    };
    write(() => {
      store.insertAction(row);
      audit(caller, s.leaderId, `action.${input.action}`, input.targetId, { kind: target.kind });
    });
    return actionView(s.leaderId, s.key, row);
  }

  return { act };
}
