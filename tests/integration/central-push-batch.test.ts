import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationDefs } from '@shared/sync/mutations';
import type { MutationOutcome, PushedMutation } from '@shared/sync/wire';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { syncReplica } from '../fixtures/sync-replica';

// One push batch as central answers it, whatever path it takes inside: applied, refused (by the registry,
// by an applier before or after it wrote), replayed, a seq reused, a mutation id used twice, a gap. Each
// outcome is the one a batch of single mutations would get, every refused one is logged, and a refusal
// after a write leaves nothing of that mutation behind.

const uuid = () => crypto.randomUUID();
const idHash = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const AT = '2026-11-20T02:00:00.000Z';

/** A counter of the hall on the sync API, its rows stamped at AT. */
async function device(central: TestCentral, hallId: string) {
  const r = await syncReplica(central, hallId);
  return {
    replicaId: r.replicaId,
    next: (name: string, args: unknown) => r.next(name, args, { at: AT }),
    push: (mutations: PushedMutation[]) => r.push<{ lastSeq: number; outcomes?: MutationOutcome[] }>(mutations),
  };
}

const applicant = (applicantId: string, hash: string) => ({
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
  at: AT,
});
const visit = (visitId: string, applicantId: string | null) => ({
  visitId,
  counterId: 'w1',
  counterNumber: 1,
  clerkName: '李四',
  ticketId: null,
  ticketNumber: 'A001',
  hallDay: AT.slice(0, 10),
  applicantId,
  startedAt: AT,
});

/** A case the counter accepted and dispatched, of a matter central need not know. */
const counterCase = (caseId: string, applicantId: string, visitId: string) => ({
  caseId,
  caseNumber: `C-${caseId.slice(0, 8)}`,
  state: 'dispatched',
  applicantId,
  matterCode: 'PSB-001',
  departmentId: 'psb',
  visitId,
  ticketId: null,
  ticketNumber: 'A001',
  counterId: 'w1',
  counterNumber: 1,
  clerkName: '李四',
  feeFen: 0,
  materials: [],
  createdAt: AT,
  acceptedAt: AT,
  promisedDate: '2026-12-01',
  toleranceDueDate: null,
  queryCode: 'AB12CD34EF',
  rejectReason: null,
  events: [
    { action: 'accept', fromState: 'draft', toState: 'accepted', at: AT },
    { action: 'dispatch', fromState: 'accepted', toState: 'dispatched', at: AT },
  ],
});

describe('a push batch mixing every outcome', () => {
  let central: TestCentral;
  let hallA: string;
  let hallB: string;
  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs] });
    hallA = (await central.admin.createHall('PUSHA')).id;
    hallB = (await central.admin.createHall('PUSHB')).id;
  });
  afterAll(async () => {
    await central?.stop();
  });

  const logOf = async (replicaId: string) =>
    (
      await central.pool.query<{ seq: number; mutation_id: string | null; status: string; result: unknown }>(
        'SELECT seq, mutation_id, status, result FROM mutations WHERE replica_id = $1 ORDER BY seq',
        [replicaId],
      )
    ).rows;

  it('answers and logs each mutation as alone, replays the stored answers, and undoes a refusal after a write', async () => {
    const a = await device(central, hallA);
    const b = await device(central, hallB);
    // Hall B's visit without an applicant: hall A naming the same visit would fill its profile, then be refused.
    const shared = uuid();
    expect((await b.push([b.next('visit.record@1', visit(shared, null))])).body.outcomes).toEqual([
      expect.objectContaining({ status: 'applied' }),
    ]);

    const applicantId = uuid();
    const batch = [
      a.next('applicant.upsert@1', applicant(applicantId, idHash('push-batch-1'))),
      a.next('visit.record@1', visit(shared, applicantId)),
      a.next('rating.notRated@1', { visitId: uuid(), at: AT }),
      a.next('visit.record@1', { ...visit(uuid(), applicantId), counterId: 7 }),
      a.next('visit.record@1', visit(uuid(), applicantId)),
    ];
    const first = await a.push(batch);
    expect(first.status).toBe(200);
    expect(first.body.lastSeq).toBe(5);
    expect(first.body.outcomes!.map((o) => [o.seq, o.status, (o.result as { reason?: string }).reason])).toEqual([
      [1, 'applied', undefined],
      [2, 'rejected', 'VISIT_OF_ANOTHER_HALL'],
      [3, 'rejected', 'UNKNOWN_VISIT'],
      [4, 'rejected', 'INVALID_ARGS'],
      [5, 'applied', undefined],
    ]);
    // The refused visit.record had set hall B's visit's profile before it was refused: undone.
    const shared_ = await central.pool.query('SELECT hall_id, profile_id FROM visits WHERE visit_id = $1', [shared]);
    expect(shared_.rows).toEqual([{ hall_id: hallB, profile_id: null }]);
    // The batch ran again after the refusals: the history holds the applied visit's line once, none of the refused.
    const lines = await central.pool.query<{ mutation_id: string; what: string }>(
      `SELECT h.mutation_id, h.what FROM applicant_history h JOIN applicant_ids i ON i.profile_id = h.profile_id
        WHERE i.applicant_id = $1`,
      [applicantId],
    );
    expect(lines.rows).toEqual([{ mutation_id: batch[4]!.mutationId, what: 'visit' }]);
    const log = await logOf(a.replicaId);
    expect(log.map((r) => [r.seq, r.status, r.mutation_id])).toEqual(
      batch.map((m, i) => [m.seq, first.body.outcomes![i]!.status, m.mutationId]),
    );

    // The same batch again, and again with one new mutation: the stored answers, the new one applied.
    const again = await a.push(batch);
    expect(again.body).toEqual(first.body);
    const sixth = a.next('visit.record@1', visit(uuid(), null));
    const more = await a.push([...batch.slice(3), sixth]);
    expect(more.body.outcomes).toEqual([
      ...first.body.outcomes!.slice(3),
      expect.objectContaining({ seq: 6, status: 'applied' }),
    ]);
    expect(await logOf(a.replicaId)).toHaveLength(6);
  });

  it('queues each accepted case’s notice once, with the batch, and none for a refused case', async () => {
    const a = await device(central, hallA);
    const b = await device(central, hallB);
    const notices = async (caseId: string) =>
      (
        await central.pool.query<{ idempotency_key: string; hall_id: string }>(
          'SELECT idempotency_key, hall_id FROM notice_outbox WHERE case_id = $1',
          [caseId],
        )
      ).rows;
    // Hall B's case, with its notice: hall A naming it is refused and queues nothing.
    const [bApplicant, bVisit, bCase] = [uuid(), uuid(), uuid()];
    const bOut = await b.push([
      b.next('applicant.upsert@1', applicant(bApplicant, idHash('push-batch-b'))),
      b.next('case.create@1', counterCase(bCase, bApplicant, bVisit)),
    ]);
    expect(bOut.body.outcomes!.map((o) => o.status)).toEqual(['applied', 'applied']);
    expect(await notices(bCase)).toEqual([{ idempotency_key: `case:${bCase}:accepted`, hall_id: hallB }]);

    const [applicantId, visit1, visit2, case1, case2] = [uuid(), uuid(), uuid(), uuid(), uuid()];
    const batch = [
      a.next('applicant.upsert@1', applicant(applicantId, idHash('push-batch-notices'))),
      a.next('visit.record@1', visit(visit1, applicantId)),
      a.next('case.create@1', counterCase(case1, applicantId, visit1)),
      // A refusal: the batch runs again with savepoints, and its cases' notices are queued as in the first run.
      a.next('rating.notRated@1', { visitId: uuid(), at: AT }),
      a.next('case.create@1', counterCase(bCase, applicantId, visit2)),
      a.next('case.create@1', counterCase(case2, applicantId, visit2)),
      // The same case again in the batch: its notice is queued once.
      a.next('case.create@1', counterCase(case1, applicantId, visit1)),
    ];
    const r = await a.push(batch);
    expect(r.body.outcomes!.map((o) => [o.status, (o.result as { reason?: string }).reason])).toEqual([
      ['applied', undefined],
      ['applied', undefined],
      ['applied', undefined],
      ['rejected', 'UNKNOWN_VISIT'],
      ['rejected', 'CASE_OF_ANOTHER_HALL'],
      ['applied', undefined],
      ['applied', undefined],
    ]);
    expect(await notices(case1)).toEqual([{ idempotency_key: `case:${case1}:accepted`, hall_id: hallA }]);
    expect(await notices(case2)).toEqual([{ idempotency_key: `case:${case2}:accepted`, hall_id: hallA }]);
    expect(await notices(bCase)).toEqual([{ idempotency_key: `case:${bCase}:accepted`, hall_id: hallB }]);
    // Replayed: the stored answers, nothing queued again.
    expect((await a.push(batch)).body).toEqual(r.body);
    expect(
      (await central.pool.query('SELECT 1 FROM notice_outbox WHERE case_id = ANY($1)', [[case1, case2]])).rowCount,
    ).toBe(2);
  });

  it('logs each mutation with its own args and answer, as sent', async () => {
    const a = await device(central, hallA);
    const batch = [
      a.next('visit.record@1', { ...visit(uuid(), null), clerkName: '引号"和\\反斜杠 \u2028' }),
      a.next('visit.record@1', visit(uuid(), null)),
      a.next('visit.record@1', { ...visit(uuid(), null), counterId: 7 }),
    ];
    const r = await a.push(batch);
    const logged = await central.pool.query<{ args: unknown; result: unknown }>(
      'SELECT args, result FROM mutations WHERE replica_id = $1 ORDER BY seq',
      [a.replicaId],
    );
    expect(logged.rows).toEqual(batch.map((m, i) => ({ args: m.args, result: r.body.outcomes![i]!.result })));
    expect(logged.rows[2]!.result).toMatchObject({ reason: 'INVALID_ARGS' });
  });

  it('refuses a reused seq and a mutation id used twice, and stops at a gap', async () => {
    const a = await device(central, hallA);
    const one = a.next('visit.record@1', visit(uuid(), null));
    expect((await a.push([one])).status).toBe(200);
    // The same seq for another mutation: it cannot have been applied under that seq.
    const reused = { ...one, mutationId: uuid() };
    const two = a.next('visit.record@1', visit(uuid(), null));
    // A mutation id already logged, and one used twice in the batch: the later ones are refused, logged without id.
    const three = { ...a.next('visit.record@1', visit(uuid(), null)), mutationId: one.mutationId };
    const four = a.next('visit.record@1', visit(uuid(), null));
    const five = { ...a.next('visit.record@1', visit(uuid(), null)), mutationId: four.mutationId };
    const r = await a.push([reused, two, three, four, five]);
    expect(r.status).toBe(200);
    expect(r.body.lastSeq).toBe(5);
    expect(r.body.outcomes!.map((o) => [o.seq, o.status, (o.result as { reason?: string }).reason])).toEqual([
      [1, 'rejected', 'SEQ_REUSED'],
      [2, 'applied', undefined],
      [3, 'rejected', 'DUPLICATE_MUTATION_ID'],
      [4, 'applied', undefined],
      [5, 'rejected', 'DUPLICATE_MUTATION_ID'],
    ]);
    expect((await logOf(a.replicaId)).map((r) => [r.seq, r.mutation_id])).toEqual([
      [1, one.mutationId],
      [2, two.mutationId],
      [3, null],
      [4, four.mutationId],
      [5, null],
    ]);
    // A batch that starts past the next seq: nothing applied, central's last seq in the answer.
    const gapOnly = await a.push([{ ...a.next('visit.record@1', visit(uuid(), null)), seq: 9 }]);
    expect(gapOnly.status).toBe(409);
    expect(gapOnly.body.lastSeq).toBe(5);
  });

  it('refuses a batch of another device’s replica and applies nothing of it', async () => {
    const a = await device(central, hallA);
    const other = await device(central, hallA);
    const theirs = other.next('visit.record@1', visit(uuid(), null));
    expect((await other.push([theirs])).status).toBe(200);
    const visitId = uuid();
    const stolen = { ...theirs, seq: 2, mutationId: uuid(), args: visit(visitId, null) };
    const r = await a.push([stolen]);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(await logOf(other.replicaId)).toHaveLength(1);
    expect((await central.pool.query('SELECT 1 FROM visits WHERE visit_id = $1', [visitId])).rows).toEqual([]);
  });
});

// The counter's intakes of a batch are written by runs, a statement a table (central/src/sync/intake-set.ts):
// each case here is one where writing a run's upserts, visits and cases together would read or write other
// than the mutations one after the other, and the batch must answer and store what they would.
describe('a batch of intakes applied by runs', () => {
  let central: TestCentral;
  let hall: string;
  let other: string;
  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs] });
    hall = (await central.admin.createHall('RUNA')).id;
    other = (await central.admin.createHall('RUNB')).id;
  });
  afterAll(async () => {
    await central?.stop();
  });

  const one = async (sql: string, values: unknown[]) => (await central.pool.query(sql, values)).rows[0];
  const profileOf = async (applicantId: string) =>
    (await one('SELECT profile_id FROM applicant_ids WHERE applicant_id = $1', [applicantId]))?.profile_id;
  const statuses = (r: { body: { outcomes?: MutationOutcome[] } }) =>
    r.body.outcomes!.map((o) => [o.status, (o.result as { reason?: string }).reason]);

  it('writes the intakes of many visits, each as alone', async () => {
    const a = await device(central, hall);
    const ids = Array.from({ length: 3 }, () => [uuid(), uuid(), uuid()] as const);
    const batch = ids.flatMap(([applicantId, visitId, caseId], i) => [
      a.next('applicant.upsert@1', applicant(applicantId, idHash(`run-many-${i}`))),
      a.next('visit.record@1', visit(visitId, applicantId)),
      a.next('case.create@1', counterCase(caseId, applicantId, visitId)),
    ]);
    const r = await a.push(batch);
    expect(statuses(r)).toEqual(batch.map(() => ['applied', undefined]));
    for (const [i, [applicantId, visitId, caseId]] of ids.entries()) {
      const profileId = await profileOf(applicantId);
      expect(r.body.outcomes!.slice(i * 3, i * 3 + 3).map((o) => o.result)).toEqual([
        { profileId },
        { profileId },
        { profileId, status: 'dispatched' },
      ]);
      expect(await one('SELECT profile_id FROM visits WHERE visit_id = $1', [visitId])).toEqual({
        profile_id: profileId,
      });
      expect(await one('SELECT profile_id, hall_id FROM case_status WHERE case_id = $1', [caseId])).toEqual({
        profile_id: profileId,
        hall_id: hall,
      });
      const events = await central.pool.query('SELECT action FROM case_events WHERE case_id = $1 ORDER BY id', [
        caseId,
      ]);
      expect(events.rows).toEqual([{ action: 'accept' }, { action: 'dispatch' }]);
    }
  });

  it('reads a visit reported before its applicant without the applicant, as the visit alone would', async () => {
    const a = await device(central, hall);
    const [applicantId, visitId, caseId] = [uuid(), uuid(), uuid()];
    const batch = [
      a.next('visit.record@1', visit(visitId, applicantId)),
      a.next('applicant.upsert@1', applicant(applicantId, idHash('run-visit-first'))),
      a.next('case.create@1', counterCase(caseId, applicantId, visitId)),
    ];
    const r = await a.push(batch);
    const profileId = await profileOf(applicantId);
    expect(r.body.outcomes!.map((o) => o.result)).toEqual([
      { profileId: null },
      { profileId },
      { profileId, status: 'dispatched' },
    ]);
    // The case filled the visit's profile in; the visit itself had none to write a history line with.
    expect(await one('SELECT profile_id FROM visits WHERE visit_id = $1', [visitId])).toEqual({
      profile_id: profileId,
    });
    const lines = await central.pool.query('SELECT what FROM applicant_history WHERE profile_id = $1', [profileId]);
    expect(lines.rows).toEqual([{ what: 'case' }]);
  });

  it('keeps the profile a case gave its visit when the visit is reported again after it', async () => {
    const a = await device(central, hall);
    const [first, second, visitId, caseId] = [uuid(), uuid(), uuid(), uuid()];
    await a.push([a.next('visit.record@1', visit(visitId, null))]);
    const r = await a.push([
      a.next('applicant.upsert@1', applicant(first, idHash('run-again-1'))),
      a.next('applicant.upsert@1', applicant(second, idHash('run-again-2'))),
      a.next('case.create@1', counterCase(caseId, first, visitId)),
      a.next('visit.record@1', visit(visitId, second)),
    ]);
    expect(statuses(r)).toEqual([0, 1, 2, 3].map(() => ['applied', undefined]));
    expect(await one('SELECT profile_id FROM visits WHERE visit_id = $1', [visitId])).toEqual({
      profile_id: await profileOf(first),
    });
  });

  it('sends a case’s notice to the phone its profile had then, before a later upsert of the same person', async () => {
    const a = await device(central, hall);
    const [first, second, visitId, caseId] = [uuid(), uuid(), uuid(), uuid()];
    const hash = idHash('run-phone');
    await a.push([a.next('applicant.upsert@1', { ...applicant(first, hash), phone: '13800000001' })]);
    const r = await a.push([
      a.next('case.create@1', counterCase(caseId, first, visitId)),
      // Another record of the same person (the same ID hash) with a new phone.
      a.next('applicant.upsert@1', { ...applicant(second, hash), phone: '13800000002' }),
    ]);
    expect(statuses(r)).toEqual([
      ['applied', undefined],
      ['applied', undefined],
    ]);
    expect(await one('SELECT phone FROM notice_outbox WHERE case_id = $1', [caseId])).toEqual({ phone: '13800000001' });
    expect(await one('SELECT phone FROM applicant_profiles WHERE id_hash = $1', [hash])).toEqual({
      phone: '13800000002',
    });
  });

  it('merges two upserts of one person and writes one case sent twice once', async () => {
    const a = await device(central, hall);
    const [first, second, visitId, again, caseId] = [uuid(), uuid(), uuid(), uuid(), uuid()];
    const hash = idHash('run-twice');
    const r = await a.push([
      a.next('applicant.upsert@1', { ...applicant(first, hash), phone: '13800000003' }),
      a.next('applicant.upsert@1', { ...applicant(second, hash), phone: '13800000004' }),
      a.next('visit.record@1', visit(visitId, first)),
      a.next('case.create@1', counterCase(caseId, first, visitId)),
      // The same case again, from another visit: only its number follows.
      a.next('case.create@1', { ...counterCase(caseId, first, again), caseNumber: 'C-AGAIN' }),
    ]);
    expect(statuses(r)).toEqual([0, 1, 2, 3, 4].map(() => ['applied', undefined]));
    const profileId = await profileOf(first);
    expect(await profileOf(second)).toBe(profileId);
    expect(await one('SELECT phone FROM applicant_profiles WHERE id = $1', [profileId])).toEqual({
      phone: '13800000004',
    });
    expect(await one('SELECT case_number, profile_id FROM case_status WHERE case_id = $1', [caseId])).toEqual({
      case_number: 'C-AGAIN',
      profile_id: profileId,
    });
    expect((await central.pool.query('SELECT 1 FROM case_events WHERE case_id = $1', [caseId])).rowCount).toBe(2);
    expect((await central.pool.query('SELECT 1 FROM notice_outbox WHERE case_id = $1', [caseId])).rowCount).toBe(1);
  });

  it('refuses another hall’s visit, then another hall’s case, in a run and applies the rest, as one by one', async () => {
    const a = await device(central, hall);
    const b = await device(central, other);
    const [theirVisit, theirCase, theirApplicant] = [uuid(), uuid(), uuid()];
    await b.push([
      b.next('visit.record@1', visit(theirVisit, null)),
      b.next('case.create@1', counterCase(theirCase, theirApplicant, uuid())),
    ]);
    for (const refused of ['visit', 'case'] as const) {
      const [applicantId, visitId, caseId] = [uuid(), uuid(), uuid()];
      const batch = [
        a.next('applicant.upsert@1', applicant(applicantId, idHash(`run-refused-${refused}`))),
        refused === 'visit'
          ? a.next('visit.record@1', visit(theirVisit, applicantId))
          : a.next('case.create@1', counterCase(theirCase, applicantId, uuid())),
        a.next('visit.record@1', visit(visitId, applicantId)),
        a.next('case.create@1', counterCase(caseId, applicantId, visitId)),
      ];
      const r = await a.push(batch);
      expect(statuses(r)).toEqual([
        ['applied', undefined],
        ['rejected', refused === 'visit' ? 'VISIT_OF_ANOTHER_HALL' : 'CASE_OF_ANOTHER_HALL'],
        ['applied', undefined],
        ['applied', undefined],
      ]);
      expect((await a.push(batch)).body).toEqual(r.body);
    }
    expect(await one('SELECT hall_id, profile_id FROM visits WHERE visit_id = $1', [theirVisit])).toEqual({
      hall_id: other,
      profile_id: null,
    });
    expect(await one('SELECT hall_id, profile_id FROM case_status WHERE case_id = $1', [theirCase])).toEqual({
      hall_id: other,
      profile_id: null,
    });
  });
});
