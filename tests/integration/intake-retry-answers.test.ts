import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Case } from '@shared/api';
import { creditCode, startIntakeCore, type IntakeCore } from '../fixtures/intake-core';
import { packId, type PackedId } from '../../electron/core/store/packed-keys';

/**
 * The intake commands' log keeps what their answer is rebuilt from, not the answer: a retry with the same
 * mutation id gets an answer equal to the first one, also after the record changed since.
 */
let t: IntakeCore;
beforeEach(async () => {
  t = await startIntakeCore();
});
afterEach(() => t.stop());

const DAY_MS = 86_400_000;

/** What the command log holds for a mutation id. */
const logged = (mutationId: string) =>
  t.peek
    .prepare<[PackedId], { result: string }>('SELECT result FROM command_log WHERE mutation_id = ?')
    .get(packId(mutationId))!.result;

/**
 * The case moves on after its intake, 20 days later: central's steps (and its 补正 request with `items`),
 * details and a promise moved.
 */
function changeLater(c: Case, items?: { materialId: string | null; name: string; note: string }[]) {
  t.advance(20 * DAY_MS);
  const at = new Date(Date.parse(c.updatedAt) + 20 * DAY_MS).toISOString();
  t.core.intake.applyCaseStatus(c.id, 'start', at, '已开始办理');
  if (items) t.core.intake.applyCaseStatus(c.id, 'request_supplement', at, '请补正');
  t.peek
    .prepare("UPDATE cases SET missing = ?, central_note = '请补正', promised_date = '2026-03-20' WHERE id = ?")
    .run(JSON.stringify(items ?? []), c.id);
}

async function intakeInput(outcome: 'accept' | 'notice' | 'reject') {
  const ticket = await t.calledTicket();
  const applicant = await t.person();
  const ticked = await t.tick('PSB-001');
  return {
    mutationId: t.m(),
    counterId: 'w1',
    ticketId: ticket.id,
    applicantId: applicant.id,
    matterCode: 'PSB-001',
    materials:
      outcome === 'notice' ? ticked.map((m, k) => (k === 0 ? { ...m, status: 'missing' as const } : m)) : ticked,
    outcome,
    ...(outcome === 'reject' && { rejectReason: '不属于本窗口受理范围' }),
  };
}

describe('retried intake commands', () => {
  it.each(['accept', 'notice', 'reject'] as const)(
    'case.intake (%s): the retry answers as the first did',
    async (o) => {
      const input = await intakeInput(o);
      const first = await t.call('case.intake', input);
      expect(await t.call('case.intake', input)).toStrictEqual(first);
      expect(t.count('cases')).toBe(1);
      // The log keeps the case's id and its state, not the case.
      expect(logged(input.mutationId)).not.toContain(first.matterNameZh);
      expect(logged(input.mutationId).length).toBeLessThan(200);
    },
  );

  it('case.intake: the retry after the case moved on still gets the first answer', async () => {
    const input = await intakeInput('accept');
    const first = await t.call('case.intake', input);
    changeLater(first);
    const now = (await t.call('case.get', { caseId: first.id })).case;
    expect(now).toMatchObject({
      state: 'in_progress',
      centralNote: '请补正',
      promisedDate: '2026-03-20',
      overdue: true,
    });
    expect(await t.call('case.intake', input)).toStrictEqual(first);
  });

  it('case.supplement.receive: the retry answers as the first did, also after the case moved on', async () => {
    const first = await t.call('case.intake', await intakeInput('accept'));
    changeLater(first, [
      { materialId: 'photo', name: '照片', note: '近期' },
      { materialId: null, name: '补充说明', note: '' },
    ]);
    const input = { mutationId: t.m(), caseId: first.id, received: [0, 1], note: '齐了' };
    const resumed = await t.call('case.supplement.receive', input);
    expect(resumed).toMatchObject({ state: 'in_progress', missing: [{ name: '照片' }, { name: '补充说明' }] });
    expect(await t.call('case.supplement.receive', input)).toStrictEqual(resumed);
    t.advance(DAY_MS);
    const at = new Date(Date.parse(resumed.updatedAt) + DAY_MS).toISOString();
    t.core.intake.applyCaseStatus(first.id, 'complete', at, '已办结');
    t.peek.prepare("UPDATE cases SET missing = '[]', central_note = NULL WHERE id = ?").run(first.id);
    expect(await t.call('case.supplement.receive', input)).toStrictEqual(resumed);
    expect(t.outboxCount()).toBe(4);
  });

  it('applicant.register: the retry answers as the first did, also after the applicant was registered again', async () => {
    const org = {
      mutationId: t.m(),
      applicant: {
        kind: 'organisation' as const,
        name: '示范科技有限公司',
        idType: 'uscc' as const,
        idNumber: creditCode('91350100000000001'),
        orgType: 'enterprise' as const,
        contactName: '李四',
        phone: '13800138000',
      },
    };
    const first = await t.call('applicant.register', org);
    expect(await t.call('applicant.register', org)).toStrictEqual(first);
    t.advance(60_000);
    const renamed = await t.call('applicant.register', {
      mutationId: t.m(),
      applicant: { ...org.applicant, name: '示范科技股份有限公司', contactName: '王五', phone: '13900139000' },
    });
    expect(renamed).toMatchObject({ id: first.id, name: '示范科技股份有限公司', contactName: '王五' });
    expect(await t.call('applicant.register', org)).toStrictEqual(first);
    expect(logged(org.mutationId)).not.toContain(first.idMasked);
  });
});
