import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countAhead, groupOf, orderCandidates, type Candidate } from '../../electron/core/queue/ordering';
import { countsAround } from '../fixtures/ahead-counts';

const NOW = Date.parse('2026-03-02T02:00:00Z');
let n = 0;
const walkIn = (arrivedMinAgo: number, priority: Candidate['priority'] = 'none'): Candidate => ({
  id: `t${++n}`,
  priority,
  apptStartMs: 0,
  apptEndMs: 0,
  arrivedMs: NOW - arrivedMinAgo * 60_000,
  seq: n,
});
const appointment = (arrivedMinAgo: number, startMinFromNow: number, endMinFromNow: number): Candidate => ({
  ...walkIn(arrivedMinAgo),
  apptStartMs: NOW + startMinFromNow * 60_000,
  apptEndMs: NOW + endMinFromNow * 60_000,
});
const ctx = (streak = 0, limit = 3) => ({ nowMs: NOW, priorityStreak: streak, priorityStreakLimit: limit });
const ids = (cs: Candidate[]) => cs.map((c) => c.id);

describe('call order', () => {
  it('takes walk-ins by arrival', () => {
    const [a, b, c] = [walkIn(5), walkIn(30), walkIn(10)];
    expect(ids(orderCandidates([a!, b!, c!], ctx()))).toEqual([b!.id, c!.id, a!.id]);
  });

  it('puts a checked-in appointment inside its window before everyone', () => {
    const early = walkIn(60, 'elderly');
    const appt = appointment(1, -5, 25);
    expect(orderCandidates([early, appt], ctx())[0]).toBe(appt);
  });

  it('treats an appointment outside its window as a walk-in by arrival, never by a NULL accident', () => {
    const notYet = appointment(20, 10, 40);
    const over = appointment(2, -60, -1);
    const walk = walkIn(10);
    expect(ids(orderCandidates([over, walk, notYet], ctx()))).toEqual([notYet.id, walk.id, over.id]);
  });

  it('serves priority classes before regulars, oldest first', () => {
    const r = walkIn(50);
    const p1 = walkIn(5, 'pregnant');
    const p2 = walkIn(10, 'military');
    expect(ids(orderCandidates([r, p1, p2], ctx()))).toEqual([p2.id, p1.id, r.id]);
  });

  it('lets the oldest regular through after the priority streak limit (anti-starvation)', () => {
    const regulars = [walkIn(60), walkIn(59)];
    const prios = [walkIn(5, 'elderly'), walkIn(4, 'elderly'), walkIn(3, 'disabled'), walkIn(2, 'elderly')];
    const order = orderCandidates([...prios, ...regulars], ctx(0, 2));
    expect(ids(order)).toEqual([
      prios[0]!.id,
      prios[1]!.id,
      regulars[0]!.id,
      prios[2]!.id,
      prios[3]!.id,
      regulars[1]!.id,
    ]);
  });

  it('counts the streak the counter already has', () => {
    const r = walkIn(60);
    const p = walkIn(1, 'elderly');
    expect(orderCandidates([p, r], ctx(3, 3))[0]).toBe(r);
    expect(orderCandidates([p, r], ctx(2, 3))[0]).toBe(p);
  });

  it('is a total order: every candidate once, same result whatever the input order', () => {
    const arb = fc.array(
      fc.record({
        arrived: fc.integer({ min: 0, max: 120 }),
        priority: fc.constantFrom<Candidate['priority']>('none', 'elderly', 'none', 'disabled'),
        appt: fc.option(fc.tuple(fc.integer({ min: -60, max: 60 }), fc.integer({ min: 1, max: 60 }))),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 5 }), (specs, streak) => {
        const cands = specs.map((s) =>
          s.appt
            ? { ...appointment(s.arrived, s.appt[0], s.appt[0] + s.appt[1]), priority: s.priority }
            : walkIn(s.arrived, s.priority),
        );
        const a = orderCandidates(cands, ctx(streak));
        const b = orderCandidates([...cands].reverse(), ctx(streak));
        expect(ids(a)).toEqual(ids(b));
        expect(new Set(ids(a)).size).toBe(cands.length);
      }),
    );
  });

  it('counts the people ahead of a ticket as its place in that order, a fresh streak assumed', () => {
    const arb = fc.array(
      fc.record({
        arrived: fc.integer({ min: 0, max: 120 }),
        priority: fc.constantFrom<Candidate['priority']>('none', 'elderly', 'none'),
        appt: fc.option(fc.tuple(fc.integer({ min: -60, max: 60 }), fc.integer({ min: 1, max: 60 }))),
      }),
      { minLength: 1, maxLength: 30 },
    );
    fc.assert(
      fc.property(arb, fc.nat(), fc.integer({ min: 0, max: 4 }), (specs, pick, limit) => {
        const cands = specs.map((s) =>
          s.appt
            ? { ...appointment(s.arrived, s.appt[0], s.appt[0] + s.appt[1]), priority: s.priority }
            : walkIn(s.arrived, s.priority),
        );
        const ticket = cands[pick % cands.length]!;
        const order = orderCandidates(cands, ctx(0, limit));
        expect(countAhead(groupOf(ticket, NOW), countsAround(ticket, cands, NOW), limit)).toBe(order.indexOf(ticket));
      }),
    );
  });
});
