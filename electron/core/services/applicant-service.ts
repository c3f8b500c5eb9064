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
import { maskIdNumber } from '@shared/validation/mask';
import { hashApplicantId } from '../intake/id-hash';
import type { ApplicantRecord, ApplicantStore } from '../store/applicant-store';
import type { FeedbackStore } from '../store/feedback-store';
import type { RatingStore } from '../store/rating-store';
import type { CommandRunner } from './intake-command';

const HISTORY_LIMIT = 50;

const publicApplicant = ({ idHash: _hash, ...a }: ApplicantRecord): Applicant => a;

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
}) {
  const { store, feedback, ratings, casesOf, commands, hashKey, now } = deps;

  function profileOf(a: ApplicantRecord): ApplicantProfile {
    return {
      applicant: publicApplicant(a),
      history: {
        visits: store.visits(a.id, HISTORY_LIMIT),
        cases: casesOf(a.id, HISTORY_LIMIT),
        feedback: feedback.list({ applicantId: a.id, limit: HISTORY_LIMIT }).map((f) => ({
          id: f.id,
          kind: f.kind,
          status: f.status,
          createdAt: f.createdAt,
          summary: f.content.length > 60 ? `${f.content.slice(0, 60)}…` : f.content,
        })),
        ratings: ratings.ofApplicant(a.id, HISTORY_LIMIT),
      },
      scope: 'local',
    };
  }

  function byId(applicantId: string): ApplicantRecord {
    const a = store.byId(applicantId);
    if (!a) throw new AppError('NOT_FOUND', 'no such applicant', { reason: 'UNKNOWN_APPLICANT' });
    return a;
  }

  return {
    byId,
    lookup(key: ApplicantKey): ApplicantProfile | null {
      const a = store.byHash(hashApplicantId(hashKey, key.idType, key.idNumber));
      return a ? profileOf(a) : null;
    },
    profile: (applicantId: string): ApplicantProfile => profileOf(byId(applicantId)),

    /** Creates the applicant, or updates the one with this identity (its name, phone, contact). */
    register(input: { mutationId: string; applicant: ApplicantInput }): Applicant {
      return commands.run(input.mutationId, 'applicant.register', (ctx) => {
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
          idMasked: maskIdNumber(a.idNumber),
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
        return publicApplicant(record);
      });
    },
  };
}
export type ApplicantService = ReturnType<typeof createApplicantService>;
