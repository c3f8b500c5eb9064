import crypto from 'node:crypto';
import {
  AppError,
  type Applicant,
  type ApplicantInput,
  type ApplicantKey,
  type ApplicantProfile,
  type Case,
  type Segment,
} from '@shared/api';
import { CASE_STATES } from '@shared/intake/case-states';
import { INTAKE_MUTATIONS } from '@shared/sync/mutations/intake';
import type { ApplicantProfile as CentralProfile } from '@shared/sync/wire';
import { shownIdNumber } from '@shared/validation/mask';
import { hashApplicantId } from '../intake/id-hash';
import type { ApplicantRecord, ApplicantStore } from '../store/applicant-store';
import type { FeedbackStore } from '../store/feedback-store';
import type { RatingStore } from '../store/rating-store';
import type { CommandRunner } from './intake-command';

const HISTORY_LIMIT = 50;

/** Central's answer to a cross-hall lookup: its profile (null: it has none) and who this device is there. */
export interface CrossHallAnswer {
  profile: CentralProfile | null;
  ownDeviceId: string | null;
}
type Elsewhere = ApplicantProfile['history']['elsewhere'][number];
const ELSEWHERE_KINDS: readonly string[] = ['visit', 'case', 'feedback', 'rating'] satisfies Elsewhere['kind'][];

const publicApplicant = ({ idHash: _hash, ...a }: ApplicantRecord): Applicant => a;

/**
 * What the log of `applicant.register` keeps instead of its answer: the applicant's id and what a later
 * registration of the same identity may change, as it was (the kind, the number and the creation never
 * change: the identity is the record's key).
 */
export type KeptApplicant = Pick<Applicant, 'id' | 'name' | 'phone' | 'segment' | 'updatedAt'> &
  Partial<Pick<Applicant, 'orgType' | 'contactName'>>;

export const keepApplicant = ({
  id,
  name,
  phone,
  segment,
  orgType,
  contactName,
  updatedAt,
}: Applicant): KeptApplicant => ({
  id,
  name,
  phone,
  segment,
  updatedAt,
  ...(orgType !== null && { orgType }),
  ...(contactName !== null && { contactName }),
});

/** Applicants (申请人): one record per identity, found by the keyed hash of its number. */
export function createApplicantService(deps: {
  store: ApplicantStore;
  feedback: FeedbackStore;
  ratings: RatingStore;
  /** The applicant's cases as the intake shows them (with today's overdue flag). */
  casesOf: (applicantId: string, limit: number) => Case[];
  commands: CommandRunner;
  hashKey: Buffer;
  now: () => Date;
  /**
   * Central's profile of an ID hash, or undefined when central did not answer (not enrolled, offline,
   * too slow for a citizen waiting at the counter): the lookup then shows this device's records only.
   */
  crossHall?: (idHash: string) => Promise<CrossHallAnswer | undefined>;
  /** A matter's name in this device's catalog, for the cases of other halls. */
  matterName?: (code: string) => string | undefined;
}) {
  const { store, feedback, ratings, casesOf, commands, hashKey, now } = deps;

  function profileOf(a: ApplicantRecord): ApplicantProfile {
    return {
      applicant: publicApplicant(a),
      history: {
        visits: store.visits(a.id, HISTORY_LIMIT),
        cases: casesOf(a.id, HISTORY_LIMIT),
        feedback: feedback.list({ applicantId: a.id, withoutRatings: true, limit: HISTORY_LIMIT }).map((f) => ({
          id: f.id,
          kind: f.kind,
          status: f.status,
          createdAt: f.createdAt,
          summary: f.content.length > 60 ? `${f.content.slice(0, 60)}…` : f.content,
        })),
        ratings: ratings.ofApplicant(a.id, HISTORY_LIMIT),
        elsewhere: [],
      },
      scope: 'local',
    };
  }

  /** Central's history lines written by other devices, in the counter's terms. */
  function elsewhere(answer: CrossHallAnswer): Elsewhere[] {
    return (answer.profile?.history ?? [])
      .filter((h) => ELSEWHERE_KINDS.includes(h.what) && (!h.deviceId || h.deviceId !== answer.ownDeviceId))
      .map((h) => {
        const s = h.summary ?? {};
        const text = (v: unknown) => (typeof v === 'string' ? v : null);
        const matterCode = text(s.matterCode);
        const state = CASE_STATES.find((x) => x === s.state) ?? null;
        return {
          kind: h.what as Elsewhere['kind'],
          hallCode: h.hallCode ?? '',
          hallName: h.hallName ?? '',
          at: h.at,
          caseNumber: text(s.caseNumber),
          matterName: matterCode && (deps.matterName?.(matterCode) ?? matterCode),
          state,
          level: typeof s.level === 'number' ? s.level : null,
        };
      });
  }

  /**
   * The applicant is at this counter for the first time, known to central from another hall: keep a
   * local record of central's latest details, so the intake can serve them (and central links it).
   */
  function adopt(idHash: string, profile: CentralProfile): ApplicantRecord | undefined {
    const d = profile.applicant;
    if (!d) return undefined;
    return commands.atomic((ctx) => {
      const existing = store.byHash(idHash);
      if (existing) return existing;
      const id = crypto.randomUUID();
      const args = INTAKE_MUTATIONS['applicant.upsert@1'].safeParse({
        applicantId: id,
        kind: d.kind,
        name: d.name,
        idType: d.idType,
        idHash,
        idMasked: d.idMasked,
        phone: d.phone,
        segment: d.segment,
        orgType: d.orgType,
        contactName: d.contactName,
        // The details are as old as central's: a newer change made elsewhere meanwhile still wins there.
        at: d.updatedAt,
      });
      if (!args.success) return undefined;
      const at = now().toISOString();
      const { applicantId: _id, idHash: _hash, at: _at, ...details } = args.data;
      const record: ApplicantRecord = { id, ...details, createdAt: at, updatedAt: at, idHash };
      store.insert(record);
      ctx.append('applicant.upsert@1', args.data, id);
      return record;
    });
  }

  function byId(applicantId: string): ApplicantRecord {
    const a = store.byId(applicantId);
    if (!a) throw new AppError('NOT_FOUND', 'no such applicant', { reason: 'UNKNOWN_APPLICANT' });
    return a;
  }

  return {
    byId,
    /** Local records, merged with central's cross-hall history when central answers in time. */
    async lookup(key: ApplicantKey): Promise<ApplicantProfile | null> {
      const idHash = hashApplicantId(hashKey, key.idType, key.idNumber);
      const central = await deps.crossHall?.(idHash);
      const local = store.byHash(idHash);
      if (!central) return local ? profileOf(local) : null;
      const a = local ?? (central.profile ? adopt(idHash, central.profile) : undefined);
      if (!a) return null;
      const p = profileOf(a);
      return { ...p, history: { ...p.history, elsewhere: elsewhere(central) }, scope: 'all_halls' };
    },
    profile: (applicantId: string): ApplicantProfile => profileOf(byId(applicantId)),

    /** Creates the applicant, or updates the one with this identity (its name, phone, contact). */
    register(input: { mutationId: string; applicant: ApplicantInput }): Applicant {
      const answerOf = (k: KeptApplicant): Applicant => ({
        ...publicApplicant(byId(k.id)),
        orgType: null,
        contactName: null,
        ...k,
      });
      return commands.kept(
        input.mutationId,
        'applicant.register',
        (ctx) => {
          const a = input.applicant;
          const at = now().toISOString();
          const idHash = hashApplicantId(hashKey, a.idType, a.idNumber);
          const existing = store.byHash(idHash);
          const segment: Segment = a.kind === 'person' ? 'citizen' : a.orgType;
          const record: ApplicantRecord = {
            id: existing?.id ?? crypto.randomUUID(),
            kind: a.kind,
            name: a.name,
            idType: a.idType,
            idMasked: shownIdNumber(a.idType, a.idNumber),
            phone: a.phone,
            segment,
            orgType: a.kind === 'organisation' ? a.orgType : null,
            contactName: a.kind === 'organisation' ? a.contactName : null,
            createdAt: existing?.createdAt ?? at,
            updatedAt: at,
            idHash,
          };
          if (existing) store.update(record);
          else store.insert(record);
          const { id: applicantId, createdAt: _created, updatedAt: _updated, idHash: hash, ...rest } = record;
          ctx.append('applicant.upsert@1', { applicantId, ...rest, idHash: hash, at }, applicantId);
          return keepApplicant(publicApplicant(record));
        },
        answerOf,
      );
    },
  };
}
export type ApplicantService = ReturnType<typeof createApplicantService>;
