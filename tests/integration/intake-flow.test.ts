import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startIntakeCore, type IntakeCore } from '../fixtures/intake-core';

let t: IntakeCore;
beforeEach(async () => {
  t = await startIntakeCore();
});
afterEach(() => t.stop());

describe('intake at the counter', () => {
  it('accepts a case for the called ticket: number, promise, dispatch, visit, outbox', async () => {
    const ticket = await t.calledTicket();
    const applicant = await t.person();
    const c = await t.call('case.intake', {
      mutationId: t.m(),
      counterId: 'w1',
      ticketId: ticket.id,
      applicantId: applicant.id,
      matterCode: 'PSB-001',
      materials: await t.tick('PSB-001'),
      outcome: 'accept',
    });
    expect(c.caseNumber).toBe('HALL01-20260302-C01-0001');
    expect(c.state).toBe('dispatched');
    expect(c.ticketNumber).toBe(ticket.number);
    expect(c.counterNumber).toBe(1);
    expect(c.clerkName).toBe('王丽');
    // 7 working days after Monday 2 March 2026.
    expect(c.promisedDate).toBe('2026-03-11');
    expect(c.departmentNameZh).toBe('公安局');
    const { events } = await t.call('case.get', { caseId: c.id });
    expect(events.map((e) => [e.fromState, e.toState])).toEqual([
      ['draft', 'accepted'],
      ['accepted', 'dispatched'],
    ]);
    const outbox = t.peek.prepare('SELECT name, version, entity_id FROM outbox ORDER BY seq').all();
    expect(outbox).toEqual([
      { name: 'applicant.upsert', version: 1, entity_id: applicant.id },
      { name: 'visit.record', version: 1, entity_id: expect.any(String) },
      { name: 'case.create', version: 1, entity_id: c.id },
    ]);
    expect(t.events.filter((e) => e.name === 'case.changed')).toEqual([
      { name: 'case.changed', payload: { caseId: c.id } },
    ]);
  });
});
