import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationDefs } from '@shared/sync/mutations';
import type { IntakeMutationArgs } from '@shared/sync/mutations/intake';
import type { ApplicantProfile, MutationOutcome } from '@shared/sync/wire';
import { mutation as m } from '../fixtures/central-console';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { syncReplica } from '../fixtures/sync-replica';
import { insightIntakeStore } from '../../central/src/store/insight-intake-store';

const uuid = () => crypto.randomUUID();
const idHash = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/** A device of a hall talking to central's HTTP API directly: one replica, consecutive seqs. */
async function device(central: TestCentral, hallId: string, role = 'counter', leaderId: string | null = null) {
  const r = await syncReplica(central, hallId, { role, leaderId });
  return {
    deviceId: r.deviceId,
    /** Pushes one mutation per entry; answers their outcomes. */
    async push(...ms: { name: string; args: unknown; entityId?: string; at?: string }[]): Promise<MutationOutcome[]> {
      const res = await r.push<{ outcomes: MutationOutcome[] }>(ms.map((m) => r.next(m.name, m.args, m)));
      expect(res.status).toBe(200);
      return res.body.outcomes;
    },
    async lookup(hash: string): Promise<ApplicantProfile | null> {
      const res = await fetch(`${central.url}/sync/v1/applicants/${hash}`, { headers: r.headers });
      return res.status === 404 ? null : ((await res.json()) as ApplicantProfile);
    },
  };
}
type Device = Awaited<ReturnType<typeof device>>;

function applicant(applicantId: string, hash: string, o: Partial<IntakeMutationArgs<'applicant.upsert@1'>> = {}) {
  return m(
    'applicant.upsert@1',
    {
      applicantId,
      kind: 'person',
      name: '张三',
      idType: 'resident_id',
      idHash: hash,
      idMasked: '110105********1234',
      phone: '13800000000',
      segment: 'citizen',
      orgType: null,
      contactName: null,
      at: '2026-11-20T02:00:00.000Z',
      ...o,
    },
    applicantId,
  );
}

function visit(visitId: string, applicantId: string | null, at = '2026-11-20T02:05:00.000Z') {
  return m(
    'visit.record@1',
    {
      visitId,
      counterId: 'w1',
      counterNumber: 1,
      clerkName: '李四',
      ticketId: null,
      ticketNumber: 'A001',
      hallDay: at.slice(0, 10),
      applicantId,
      startedAt: at,
    },
    visitId,
  );
}

function caseCreate(caseId: string, applicantId: string, visitId: string, caseNumber: string) {
  const at = '2026-11-20T02:10:00.000Z';
  return m(
    'case.create@1',
    {
      caseId,
      caseNumber,
      state: 'dispatched',
      applicantId,
      matterCode: 'GA-001',
      departmentId: 'police',
      visitId,
      ticketId: null,
      ticketNumber: 'A001',
      counterId: 'w1',
      counterNumber: 1,
      clerkName: '李四',
      feeFen: 0,
      materials: [{ materialId: 'm1', requirement: 'required', status: 'received' }],
      createdAt: at,
      acceptedAt: at,
      promisedDate: '2026-11-27',
      toleranceDueDate: null,
      rejectReason: null,
      events: [
        { action: 'accept', fromState: 'draft', toState: 'accepted', at },
        { action: 'dispatch', fromState: 'accepted', toState: 'dispatched', at },
      ],
    },
    // No entity id on the envelope: central takes the case's id from its args.
  );
}

describe('central: the intake mutations (real names and fields) on PostgreSQL', () => {
  let central: TestCentral;
  let hallA: { id: string }, hallB: { id: string };
  let a: Device, b: Device;

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs] });
    hallA = await central.admin.createHall('APPA');
    hallB = await central.admin.createHall('APPB');
    a = await device(central, hallA.id);
    b = await device(central, hallB.id);
  });
  afterAll(async () => {
    await central.stop();
  });

  it('merges applicants of two halls into one profile by the ID hash; the details last to reach central win', async () => {
    const hash = idHash('merge');
    const [idA, idB] = [uuid(), uuid()];
    expect(await b.push(applicant(idB, hash, { phone: '13900000000', at: '2026-11-22T02:00:00.000Z' }))).toMatchObject([
      { status: 'applied' },
    ]);
    // Hall A's PC clock is a year ahead: its time must not freeze the profile against later corrections.
    expect(await a.push(applicant(idA, hash, { name: '张叁', at: '2027-11-20T02:00:00.000Z' }))).toMatchObject([
      { status: 'applied' },
    ]);
    expect(await b.push(applicant(idB, hash, { phone: '13700000000', at: '2026-11-23T02:00:00.000Z' }))).toMatchObject([
      { status: 'applied' },
    ]);
    const { rows } = await central.pool.query('SELECT count(*)::int AS n FROM applicant_profiles WHERE id_hash = $1', [
      hash,
    ]);
    expect(rows[0].n).toBe(1);
    const profile = await a.lookup(hash);
    expect(profile?.applicant).toMatchObject({
      name: '张三',
      phone: '13700000000',
      segment: 'citizen',
      idMasked: '110105********1234',
    });
    // When central received them: the devices' times stay in the mutation log and first/last seen.
    expect(Date.parse(profile!.applicant!.updatedAt)).toBeLessThanOrEqual(Date.now());
    expect(profile?.firstSeen).toBe('2026-11-22T02:00:00.000Z');
    // Both halls' record ids lead to the one profile.
    const linked = await central.pool.query(
      'SELECT DISTINCT profile_id FROM applicant_ids WHERE applicant_id = ANY($1)',
      [[idA, idB]],
    );
    expect(linked.rows).toHaveLength(1);
  });

  it('tracks a case and its status, with visit and case in the cross-hall history', async () => {
    const hash = idHash('case');
    const [applicantId, visitId, caseId] = [uuid(), uuid(), uuid()];
    const out = await a.push(
      applicant(applicantId, hash),
      visit(visitId, null), // a ticket called before the applicant was identified
      caseCreate(caseId, applicantId, visitId, 'APPA-20261120-C1-0001'),
    );
    expect(out.map((o) => o.status)).toEqual(['applied', 'applied', 'applied']);
    const visitRow = await central.pool.query('SELECT profile_id FROM visits WHERE visit_id = $1', [visitId]);
    expect(visitRow.rows[0].profile_id).not.toBeNull();

    await central.admin.putRef('case.status', caseId, {
      hallId: hallA.id,
      data: { caseId, status: 'in_progress', at: '2026-11-21T02:00:00.000Z' },
    });
    const profile = await b.lookup(hash);
    const line = profile?.history.find((h) => h.what === 'case');
    expect(line).toMatchObject({
      hallId: hallA.id,
      hallCode: 'APPA',
      deviceId: a.deviceId,
      entityId: caseId,
      summary: { caseNumber: 'APPA-20261120-C1-0001', matterCode: 'GA-001', state: 'in_progress' },
    });

    // The same case id from another hall is refused, and the queue goes on.
    const other = uuid();
    const [stolen, next] = await b.push(
      caseCreate(caseId, other, uuid(), 'APPB-20261120-C1-0001'),
      applicant(other, idHash('next')),
    );
    expect(stolen).toMatchObject({ status: 'rejected', result: { reason: 'CASE_OF_ANOTHER_HALL' } });
    expect(next).toMatchObject({ status: 'applied' });
    // A case status row must name its case.
    const mismatch = await central.admin.request('PUT', `/admin/v1/ref/case.status/${caseId}`, {
      hallId: hallA.id,
      data: { caseId: uuid(), status: 'completed', at: '2026-11-21T03:00:00.000Z' },
    });
    expect(mismatch.status).toBe(400);
  });

  it('records visits not rated, appeals and their decision; an upheld rating stays but leaves the figures', async () => {
    // A hall of its own: the other cases here count hall A's bad ratings.
    const hallC = await central.admin.createHall('APPC');
    const c = await device(central, hallC.id);
    const [visitId, ratingId, appealId, unrated] = [uuid(), uuid(), uuid(), uuid()];
    const at = '2026-11-23T03:00:00.000Z';
    const out = await c.push(
      visit(visitId, null, at),
      m('rating.submit@1', { ratingId, visitId, level: 2, reasons: ['attitude'], comment: '', at }, ratingId),
      m('rating.appeal.file@1', { appealId, ratingId, reason: '系统故障', filedBy: 'clerk01', at }, ratingId),
      visit(unrated, null, at),
      m('rating.notRated@1', { visitId: unrated, at }, unrated),
    );
    expect(out.map((o) => o.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
    const figures = () =>
      insightIntakeStore.rows(central.pool, {
        hallId: hallC.id,
        fromInstant: '2026-11-23T00:00:00.000Z',
        toInstant: '2026-11-24T00:00:00.000Z',
        fromDate: '2026-11-23',
        toDate: '2026-11-23',
        today: '2026-11-23',
        openStates: [],
        badMax: 2,
        overdueLimit: 10,
      });
    expect((await figures()).ratingsByLevel).toEqual([{ level: 2, count: expect.anything() }]);
    // Another hall can neither mark this hall's visit nor appeal its rating.
    expect(await b.push(m('rating.notRated@1', { visitId, at }, visitId))).toMatchObject([{ status: 'rejected' }]);
    expect(
      await b.push(m('rating.appeal.file@1', { appealId: uuid(), ratingId, reason: 'x', filedBy: 'x', at }, ratingId)),
    ).toMatchObject([{ status: 'rejected' }]);

    const decided = await c.push(
      m(
        'rating.appeal.decide@1',
        { appealId, ratingId, decision: 'upheld', reason: '日志证实', decidedBy: 'super01', at },
        ratingId,
      ),
    );
    expect(decided).toMatchObject([{ status: 'applied' }]);
    const appeal = await central.pool.query('SELECT status, decided_by FROM rating_appeals WHERE appeal_id = $1', [
      appealId,
    ]);
    expect(appeal.rows).toEqual([{ status: 'upheld', decided_by: 'super01' }]);
    const notRated = await central.pool.query('SELECT not_rated_at FROM visits WHERE visit_id = $1', [unrated]);
    expect(notRated.rows[0]?.not_rated_at).not.toBeNull();
    expect((await central.pool.query('SELECT 1 FROM ratings WHERE rating_id = $1', [ratingId])).rowCount).toBe(1);
    expect((await figures()).ratingsByLevel).toEqual([]);
  });

  it('keeps feedback, return visits and ratings; bad ratings are listed for the hall', async () => {
    const hash = idHash('feedback');
    const [applicantId, visitId, feedbackId, ratingId, returnVisitId] = [uuid(), uuid(), uuid(), uuid(), uuid()];
    const at = '2026-11-20T03:00:00.000Z';
    const out = await a.push(
      applicant(applicantId, hash),
      visit(visitId, applicantId),
      m('rating.submit@1', { ratingId, visitId, level: 1, reasons: ['attitude'], comment: '态度差', at }, ratingId),
      m(
        'feedback.create@1',
        {
          feedbackId,
          number: 'APPA-FK-20261120-0001',
          kind: 'complaint',
          channel: 'rating',
          category: 'attitude',
          status: 'open',
          content: '整改',
          applicantId,
          contactName: null,
          contactPhone: null,
          caseId: null,
          departmentId: null,
          ratingId,
          assignee: null,
          dueDate: '2026-11-27',
          createdAt: at,
        },
        feedbackId,
      ),
      m(
        'feedback.update@1',
        { feedbackId, action: 'resolve', status: 'resolved', assignee: null, resolution: '已整改', note: null, at },
        feedbackId,
      ),
      m(
        'feedback.returnVisit.schedule@1',
        { returnVisitId, feedbackId, scheduledFor: '2026-11-21', method: 'phone', at },
        returnVisitId,
      ),
      m(
        'feedback.returnVisit.record@1',
        { returnVisitId, feedbackId, outcome: 'satisfied', note: '满意', doneAt: at },
        returnVisitId,
      ),
    );
    expect(out.map((o) => [o.status, o.result])).toEqual([
      ['applied', expect.anything()],
      ['applied', expect.anything()],
      ['applied', { profileId: expect.any(String), bad: true }],
      ['applied', expect.anything()],
      ['applied', { status: 'resolved' }],
      ['applied', null],
      ['applied', null],
    ]);
    const bad = await central.admin.request<{ ratingId: string; level: number }[]>(
      'GET',
      `/admin/v1/halls/${hallA.id}/bad-ratings`,
    );
    expect(bad.json).toEqual([expect.objectContaining({ ratingId, level: 1, comment: '态度差' })]);
    const profile = await b.lookup(hash);
    expect(profile?.history.map((h) => h.what).sort()).toEqual(
      ['feedback', 'feedback.resolve', 'rating', 'return_visit', 'visit'].sort(),
    );
    expect(profile?.history.find((h) => h.what === 'rating')?.summary).toEqual({ level: 1, bad: true });
    const rv = await central.pool.query('SELECT scheduled_for, outcome FROM return_visits WHERE return_visit_id = $1', [
      returnVisitId,
    ]);
    expect(rv.rows[0]).toMatchObject({ outcome: 'satisfied' });

    // Feedback of another hall cannot be touched.
    const [foreign] = await b.push(
      m(
        'feedback.update@1',
        { feedbackId, action: 'close', status: 'closed', assignee: null, resolution: null, note: null, at },
        feedbackId,
      ),
    );
    expect(foreign).toMatchObject({ status: 'rejected', result: { reason: 'UNKNOWN_FEEDBACK' } });

    // Nor its return visit, through a feedback of B's own that names the same return visit id.
    const feedbackB = uuid();
    const [created, ...rvOut] = await b.push(
      m(
        'feedback.create@1',
        {
          feedbackId: feedbackB,
          number: 'APPB-FK-20261120-0001',
          kind: 'suggestion',
          channel: 'counter',
          category: 'other',
          status: 'open',
          content: '建议',
          applicantId: null,
          contactName: null,
          contactPhone: null,
          caseId: null,
          departmentId: null,
          ratingId: null,
          assignee: null,
          dueDate: '2026-11-27',
          createdAt: at,
        },
        feedbackB,
      ),
      m(
        'feedback.returnVisit.schedule@1',
        { returnVisitId, feedbackId: feedbackB, scheduledFor: '2026-12-01', method: 'sms', at },
        returnVisitId,
      ),
      m(
        'feedback.returnVisit.record@1',
        { returnVisitId, feedbackId: feedbackB, outcome: 'dissatisfied', note: '覆盖', doneAt: at },
        returnVisitId,
      ),
    );
    expect(created?.status).toBe('applied');
    expect(rvOut.map((o) => [o.status, (o.result as { reason?: string } | null)?.reason])).toEqual([
      ['rejected', 'RETURN_VISIT_OF_ANOTHER_FEEDBACK'],
      ['rejected', 'RETURN_VISIT_OF_ANOTHER_FEEDBACK'],
    ]);
    const after = await central.pool.query(
      'SELECT feedback_id, scheduled_for, method, outcome, note FROM return_visits WHERE return_visit_id = $1',
      [returnVisitId],
    );
    expect(after.rows[0]).toMatchObject({
      feedback_id: feedbackId,
      method: 'phone',
      outcome: 'satisfied',
      note: '满意',
    });
  });

  it('rejects invalid args and unknown mutations without blocking the ones after', async () => {
    const hash = idHash('invalid');
    const id = uuid();
    const out = await a.push(
      { name: 'case.create@1', args: { caseId: uuid() } },
      { name: 'case.accept@1', args: { caseId: uuid() } },
      applicant(id, hash),
    );
    expect(out.map((o) => o.status)).toEqual(['rejected', 'rejected', 'applied']);
    expect(out[0]!.result).toMatchObject({ reason: 'INVALID_ARGS' });
    expect(out[1]!.result).toMatchObject({ reason: 'UNKNOWN_MUTATION' });
  });

  it('takes each mutation only from the device roles that write it: others are rejected, the queue goes on', async () => {
    const kiosk = await device(central, hallA.id, 'kiosk');
    const leader = await device(central, hallA.id, 'leader', await central.admin.leader(hallA.id));
    const hash = idHash('roles');
    const out = await kiosk.push(applicant(uuid(), hash), visit(uuid(), null));
    expect(out.map((o) => [o.status, (o.result as { reason?: string }).reason])).toEqual([
      ['rejected', 'FORBIDDEN_ROLE'],
      ['rejected', 'FORBIDDEN_ROLE'],
    ]);
    expect((await leader.push(applicant(uuid(), hash))).map((o) => (o.result as { reason?: string }).reason)).toEqual([
      'FORBIDDEN_ROLE',
    ]);
    // A leader's mutation from a counter: refused as well, and the counter's next write still lands.
    const leaderAction = { name: 'leader.action@1', args: {}, entityId: uuid() };
    const fromCounter = await a.push(leaderAction, applicant(uuid(), hash));
    expect(fromCounter.map((o) => [o.status, (o.result as { reason?: string } | null)?.reason])).toEqual([
      ['rejected', 'FORBIDDEN_ROLE'],
      ['applied', undefined],
    ]);
    const { rows } = await central.pool.query('SELECT count(*)::int AS n FROM applicant_profiles WHERE id_hash = $1', [
      hash,
    ]);
    expect(rows[0].n).toBe(1);
  });
});
