import { z } from 'zod';
import type { Tx } from '../db/pool';
import type { PushedMutation } from '@shared/sync/wire';
import { leaderActionArgs, leaderAuditArgs } from '@shared/sync/mutations/leader';
import { leaderStore } from '../store/leader-store';
import { profileStore } from '../store/profile-store';
import { referenceStore } from '../store/reference-store';

/** A business refusal of one mutation: committed as `rejected` with this reason, the queue goes on. */
export class Rejection extends Error {
  constructor(
    readonly reason: string,
    readonly details?: unknown,
  ) {
    super(reason);
  }
}

export interface ApplyContext {
  mutation: PushedMutation;
  /** The args as the registry's schema parsed them. */
  args: unknown;
  device: { id: string; hallId: string; leaderId: string | null };
}

/** Applies one accepted mutation to central's tables inside its push transaction; returns its result. */
export type Applier = (tx: Tx, ctx: ApplyContext) => Promise<unknown>;

/**
 * The fields central's appliers read. The intake's schemas in shared/sync/mutations carry more; these
 * shapes are the part central relies on (the verified ID travels as its hash only).
 */
const applicantArgs = z.object({
  idHash: z.string().regex(/^[0-9a-f]{64}$/),
  kind: z.string().min(1).max(20),
  name: z.string().min(1).max(100),
});
const caseArgs = z.object({
  caseId: z.string().min(1).max(80),
  applicantIdHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
const linkedArgs = z.object({
  applicantIdHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

function read<T>(schema: z.ZodType<T>, ctx: ApplyContext): T {
  const parsed = schema.safeParse(ctx.args);
  if (!parsed.success) throw new Rejection('UNSUPPORTED_ARGS', { name: ctx.mutation.name });
  return parsed.data;
}

async function addToHistory(tx: Tx, ctx: ApplyContext, idHash: string | undefined, what: string) {
  if (!idHash) return null;
  const profileId = await profileStore.profileIdByHash(tx, idHash);
  if (!profileId) return null;
  await profileStore.addHistory(tx, {
    profileId,
    mutationId: ctx.mutation.mutationId,
    hallId: ctx.device.hallId,
    what,
    entityId: ctx.mutation.entityId,
    at: ctx.mutation.deviceTime,
  });
  return profileId;
}

const caseStatusApplier =
  (status: string): Applier =>
  async (tx, ctx) => {
    const a = read(caseArgs, ctx);
    const profileId = await addToHistory(tx, ctx, a.applicantIdHash, `case.${status}`);
    const saved = await profileStore.setCaseStatus(tx, {
      caseId: a.caseId,
      hallId: ctx.device.hallId,
      profileId,
      status,
      at: ctx.mutation.deviceTime,
    });
    if (!saved) throw new Rejection('CASE_OF_ANOTHER_HALL', { caseId: a.caseId });
    await referenceStore.put(tx, {
      kind: 'case.status',
      id: a.caseId,
      hallId: ctx.device.hallId,
      leaderId: null,
      deleted: false,
      data: { caseId: a.caseId, status, at: ctx.mutation.deviceTime },
    });
    return { caseId: a.caseId, status };
  };

const historyApplier =
  (what: string): Applier =>
  async (tx, ctx) => {
    const a = read(linkedArgs, ctx);
    return { profileId: await addToHistory(tx, ctx, a.applicantIdHash, what) };
  };

const leaderAppliers: Record<string, Applier> = {
  'leader.action': async (tx, ctx) => {
    const a = read(leaderActionArgs, ctx);
    // A leader device acts only for the leader it is enrolled for.
    if (a.leaderId !== ctx.device.leaderId) throw new Rejection('FOREIGN_LEADER', { leaderId: a.leaderId });
    await leaderStore.insertAction(tx, { ...a, hallId: ctx.device.hallId, deviceId: ctx.device.id });
    return { actionId: a.id };
  },
  'leader.audit': async (tx, ctx) => {
    // Every row is kept, whoever it names: the chain is the device's, and a gap would break it.
    const a = read(leaderAuditArgs, ctx);
    const saved = await leaderStore.insertAudit(tx, ctx.device.id, a);
    // The same row again is harmless; another row at a held seq is a forked chain and stays out.
    if ('heldHash' in saved && saved.heldHash !== a.hash) throw new Rejection('AUDIT_SEQ_TAKEN', { seq: a.seq });
    return { seq: a.seq };
  },
};

/** Mutation name → applier. A known mutation without an applier is only logged (still exactly once). */
export const defaultAppliers: Record<string, Applier> = {
  'applicant.upsert': async (tx, ctx) => {
    const a = read(applicantArgs, ctx);
    const profileId = await profileStore.merge(tx, {
      idHash: a.idHash,
      kind: a.kind,
      name: a.name,
      at: ctx.mutation.deviceTime,
    });
    await addToHistory(tx, ctx, a.idHash, 'visit');
    // Tells the hall's devices which cross-hall profile their local applicant record belongs to.
    await referenceStore.put(tx, {
      kind: 'applicant.profile',
      id: `${ctx.device.hallId}:${a.idHash}`,
      hallId: ctx.device.hallId,
      leaderId: null,
      deleted: false,
      data: { profileId, idHash: a.idHash, name: a.name, kind: a.kind },
    });
    return { profileId };
  },
  'case.accept': caseStatusApplier('accepted'),
  'case.notice': caseStatusApplier('notice_issued'),
  'case.reject': caseStatusApplier('rejected'),
  'complaint.create': historyApplier('complaint'),
  'rating.submit': historyApplier('rating'),
  ...leaderAppliers,
};
