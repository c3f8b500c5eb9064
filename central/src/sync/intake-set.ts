// A counter's intakes (applicant.upsert, visit.record, case.create: most of what a device back from offline
// days sends) applied by runs: each table written with one statement a run instead of one a mutation. The
// outcomes and rows are the ones the mutations' appliers give one after the other; where that is not certain
// a run ends (`IntakeRun.takes`) or the batch is applied one mutation at a time (push.ts).
import type { PushedMutation } from '@shared/sync/wire';
import type { IntakeMutationArgs } from '@shared/sync/mutations/intake';
import type { Tx } from '../db/pool';
import { counterCaseDetails } from '../casework/hall-steps';
import type { CaseContact } from '../notices/notice-store';
import { intakeStore } from '../store/intake-store';
import { profileStore } from '../store/profile-store';
import { caseCreated, defaultAppliers, newCase, visitRecorded, type Applier } from './appliers';
import type { BatchScope } from './batch-scope';

type Upsert = IntakeMutationArgs<'applicant.upsert@1'>;
type Visit = IntakeMutationArgs<'visit.record@1'>;
type Case = IntakeMutationArgs<'case.create@1'>;

export type IntakeEntry =
  | { name: 'applicant.upsert'; mutation: PushedMutation; args: Upsert }
  | { name: 'visit.record'; mutation: PushedMutation; args: Visit }
  | { name: 'case.create'; mutation: PushedMutation; args: Case };

/** The mutation names applied by the run, each only while it has its default applier. */
export function intakeEntry(appliers: Record<string, Applier>, m: PushedMutation, args: unknown) {
  if (m.name !== 'applicant.upsert' && m.name !== 'visit.record' && m.name !== 'case.create') return undefined;
  if (appliers[m.name] !== defaultAppliers[m.name]) return undefined;
  return { name: m.name, mutation: m, args } as IntakeEntry;
}

/** The run refused a mutation: the batch is applied again one mutation at a time, with its savepoints. */
export class IntakeRunRefused extends Error {}
/** A later upsert changed the profile an earlier case was read with: the batch goes one mutation at a time. */
export class IntakeRunOutOfOrder extends Error {}

/**
 * Consecutive intake mutations of a batch. A mutation joins only if writing the run's upserts, then its
 * visits, then its cases reads and writes what the mutations would one after the other: no two upserts of
 * one ID hash or applicant record, no upsert of an applicant record an earlier visit or case named, no visit
 * reported twice or after a case of it, no case twice, no two cases of one visit.
 */
export class IntakeRun {
  readonly entries: { index: number; entry: IntakeEntry }[] = [];
  private idHashes = new Set<string>();
  private upserted = new Set<string>();
  private named = new Set<string>();
  private visitsReported = new Set<string>();
  private visitsOfCases = new Set<string>();
  private cases = new Set<string>();

  takes(e: IntakeEntry): boolean {
    if (e.name === 'applicant.upsert') {
      return (
        !this.idHashes.has(e.args.idHash) &&
        !this.upserted.has(e.args.applicantId) &&
        !this.named.has(e.args.applicantId)
      );
    }
    if (this.visitsOfCases.has(e.args.visitId)) return false;
    if (e.name === 'visit.record') return !this.visitsReported.has(e.args.visitId);
    return !this.cases.has(e.args.caseId);
  }

  add(index: number, e: IntakeEntry): void {
    this.entries.push({ index, entry: e });
    if (e.name === 'applicant.upsert') {
      this.idHashes.add(e.args.idHash);
      this.upserted.add(e.args.applicantId);
      return;
    }
    if (e.args.applicantId) this.named.add(e.args.applicantId);
    if (e.name === 'visit.record') {
      this.visitsReported.add(e.args.visitId);
      return;
    }
    this.visitsOfCases.add(e.args.visitId);
    this.cases.add(e.args.caseId);
  }

  /** Applies the run in `tx`; the results by batch index, as the appliers answer them. */
  async apply(tx: Tx, scope: BatchScope, device: { id: string; hallId: string; leaderId: string | null }) {
    const results = new Map<number, unknown>();
    const upserts = this.entries.flatMap((x) =>
      x.entry.name === 'applicant.upsert' ? [{ ...x, a: x.entry.args }] : [],
    );
    const visits = this.entries.flatMap((x) => (x.entry.name === 'visit.record' ? [{ ...x, a: x.entry.args }] : []));
    const cases = this.entries.flatMap((x) => (x.entry.name === 'case.create' ? [{ ...x, a: x.entry.args }] : []));

    // Upserts first: a visit or case of the run names only records upserted before it (`takes`).
    const merged =
      upserts.length > 0
        ? await profileStore.mergeAndLinkAll(
            tx,
            upserts.map((u) => u.a),
            device.hallId,
          )
        : [];
    const profileOfUpsert = new Map<number, string>();
    upserts.forEach((u, i) => {
      const { profileId, linkedProfileId } = merged[i]!;
      scope.profileOfApplicant.set(u.a.applicantId, linkedProfileId);
      profileOfUpsert.set(u.index, profileId);
      results.set(u.index, { profileId });
    });
    const named = [...visits, ...cases].flatMap((x) => (x.a.applicantId ? [x.a.applicantId] : []));
    const unknown = [...new Set(named.filter((id) => !scope.profileOfApplicant.has(id)))];
    if (unknown.length > 0) {
      for (const [applicantId, profileId] of await profileStore.profilesOfApplicants(tx, unknown)) {
        scope.profileOfApplicant.set(applicantId, profileId);
      }
    }
    const profileOf = (applicantId: string | null) =>
      applicantId ? (scope.profileOfApplicant.get(applicantId) ?? null) : null;
    // A case's notice reads its profile's phone: an upsert after the case must not have merged into it first.
    for (const c of cases) {
      const p = profileOf(c.a.applicantId);
      if (p && upserts.some((u) => u.index > c.index && profileOfUpsert.get(u.index) === p)) {
        throw new IntakeRunOutOfOrder();
      }
    }

    if (visits.length > 0) {
      const halls = await intakeStore.putVisits(
        tx,
        device.hallId,
        visits.map((v) => ({ ...v.a, profileId: profileOf(v.a.applicantId) })),
      );
      if (visits.some((v) => halls.get(v.a.visitId) !== device.hallId)) throw new IntakeRunRefused();
    }

    const details = new Map<number, Awaited<ReturnType<typeof counterCaseDetails>>>();
    for (const c of cases) details.set(c.index, await counterCaseDetails(tx, device.hallId, c.a, scope));
    const contacts =
      cases.length > 0
        ? await intakeStore.createCases(
            tx,
            device.hallId,
            cases.map((c) => {
              const { calendarMissing: _, ...d } = details.get(c.index)!;
              return newCase(c.a, device.hallId, profileOf(c.a.applicantId), d);
            }),
          )
        : new Map<string, CaseContact>();
    if (cases.some((c) => !contacts.has(c.a.caseId))) throw new IntakeRunRefused();

    // What each applier adds to the batch (history lines, notices), in the batch's order.
    for (const { index, entry } of this.entries) {
      const ctx = { mutation: entry.mutation, device, batch: scope };
      if (entry.name === 'visit.record') {
        results.set(index, visitRecorded(ctx, entry.args, profileOf(entry.args.applicantId)));
      } else if (entry.name === 'case.create') {
        const a = entry.args;
        const contact = contacts.get(a.caseId)!;
        results.set(index, caseCreated(ctx, a, profileOf(a.applicantId), contact, details.get(index)!.calendarMissing));
      }
    }
    return results;
  }
}
