import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CASE_NUMBER_PATTERN, formatCaseNumber, formatFeedbackNumber } from '@shared/intake/case-number';

describe('case and feedback numbers', () => {
  it('are hall, day, device and a 4-digit sequence', () => {
    expect(formatCaseNumber('DEMO01', '2026-03-02', 'D01', 7)).toBe('DEMO01-20260302-D01-0007');
    expect(formatCaseNumber('DEMO01', '2026-03-02', 'D01', 12345)).toBe('DEMO01-20260302-D01-12345');
    expect(formatFeedbackNumber('DEMO01', '2026-03-02', 'D01', 1)).toBe('FK-DEMO01-20260302-D01-0001');
  });

  it('always match the pattern that names archive files, with the year in group 1', () => {
    const code = (min: number, max: number) => fc.stringMatching(new RegExp(`^[A-Z0-9]{${min},${max}}$`));
    const day = fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(code(2, 12), day, code(2, 8), fc.integer({ min: 1, max: 99_999 }), (hall, d, device, seq) => {
        const match = CASE_NUMBER_PATTERN.exec(formatCaseNumber(hall, d, device, seq));
        expect(match?.[1]).toBe(d.slice(0, 4));
      }),
    );
  });

  it('refuse anything that could leave the archive folder', () => {
    for (const bad of ['../x', 'A1-20260302-D1-0001/..', 'A1-20260302-D1-0001\\x', 'a1-20260302-D1-0001', '']) {
      expect(CASE_NUMBER_PATTERN.test(bad), bad).toBe(false);
    }
  });
});
