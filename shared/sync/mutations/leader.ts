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

/**
 * Version 2: the comment (`{ comment: string | null }` as JSON) sealed for central's public key (see
 * shared/leader/seal-format), base64; the device never holds a 批示 in clear. Central opens it on push.
 */
export const leaderActionSealedArgs = leaderActionArgs
  .omit({ comment: true })
  .extend({
    sealedComment: z
      .string()
      .regex(/^[A-Za-z0-9+/]+={0,2}$/)
      .max(12_000),
  })
  .strict();
export type LeaderActionSealedArgs = z.infer<typeof leaderActionSealedArgs>;

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
    /**
     * SHA-256 of `prevHash` and the row's canonical JSON. `hash` is keyed with a device secret central
     * does not hold: this lets central still tell a row changed in its own copy (absent from older devices).
     */
    contentHash: sha256Hex.optional(),
  })
  .strict();
export type LeaderAuditArgs = z.infer<typeof leaderAuditArgs>;

/** Args schemas by `name@version`: a plain map, merged into the mutation registry. */
export const leaderMutations = {
  'leader.action@1': leaderActionArgs,
  'leader.action@2': leaderActionSealedArgs,
  'leader.audit@1': leaderAuditArgs,
} as const;

/** Only a leader's device writes these (its audit chain and what the leader did with central's content). */
export const LEADER_MUTATION_ROLES: Record<keyof typeof leaderMutations, readonly DeviceRole[]> = {
  'leader.action@1': ['leader'],
  'leader.action@2': ['leader'],
  'leader.audit@1': ['leader'],
};
