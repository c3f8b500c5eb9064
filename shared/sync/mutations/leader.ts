import { z } from 'zod';
import { LEADER_ACTIONS } from '../../api/methods/leader';
import type { DeviceRole } from '../wire';

const uuid = z.uuid();
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** A leader's action on a briefing or file; `id` is the action's own id, so central applies it once. */
export const leaderActionArgs = z
  .object({
    id: uuid,
    leaderId: uuid,
    targetId: uuid,
    action: z.enum(LEADER_ACTIONS),
    comment: z.string().max(2000).nullable(),
    at: z.string(),
  })
  .strict();
export type LeaderActionArgs = z.infer<typeof leaderActionArgs>;

/** One row of the device's hash-chained leader audit log; central can re-verify the chain per device. */
export const leaderAuditArgs = z
  .object({
    seq: z.number().int().positive(),
    at: z.string(),
    leaderId: uuid.nullable(),
    origin: z.string(),
    event: z.string(),
    targetId: z.string().nullable(),
    detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    prevHash: sha256Hex,
    hash: sha256Hex,
  })
  .strict();
export type LeaderAuditArgs = z.infer<typeof leaderAuditArgs>;

/** Args schemas by `name@version`: a plain map, merged into the mutation registry. */
export const leaderMutations = {
  'leader.action@1': leaderActionArgs,
  'leader.audit@1': leaderAuditArgs,
} as const;

/** Only a leader's device writes these (its audit chain and what the leader did with central's content). */
export const LEADER_MUTATION_ROLES: Record<keyof typeof leaderMutations, readonly DeviceRole[]> = {
  'leader.action@1': ['leader'],
  'leader.audit@1': ['leader'],
};
