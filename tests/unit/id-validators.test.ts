import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applicantInputSchema, applicantKeySchema } from '@shared/api/methods/intake';
import { CREDIT_CODE_ALPHABET, creditCodeCheckChar, creditCodeProblem } from '@shared/validation/credit-code';
import { maskApplicantName, maskIdNumber, maskPhone, shownIdNumber } from '@shared/validation/mask';
import { residentIdCheckChar, residentIdProblem } from '@shared/validation/resident-id';

const TODAY = new Date('2026-03-02T02:00:00Z');

/**
 * Independent oracles, in the standards' other formulation, so the tests do not repeat the code:
 * ISO 7064 MOD 11-2 holds when Σ aᵢ·2^(18−i) over all 18 characters (X = 10) ≡ 1 (mod 11);
 * GB 32100 holds when Σ vᵢ·3^i over the first 17 plus the check value ≡ 0 (mod 31).
 */
function mod11_2Holds(id: string): boolean {
  let sum = 0;
  for (let i = 0; i < 18; i++) sum += (id[i] === 'X' ? 10 : Number(id[i])) * 2 ** (17 - i);
  return sum % 11 === 1;
}
function residentIdOracle(id: string): boolean {
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return false;
  const [y, m, d] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))];
  const birth = new Date(Date.UTC(y, m - 1, d));
  const real = y >= 1900 && birth.getUTCMonth() === m - 1 && birth.getUTCDate() === d;
  return real && birth <= TODAY && mod11_2Holds(id);
}
function creditCodeOracle(code: string): boolean {
  if (code.length !== 18 || [...code].some((ch) => !CREDIT_CODE_ALPHABET.includes(ch))) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(code[i]!) * 3 ** i;
  return (sum + CREDIT_CODE_ALPHABET.indexOf(code[17]!)) % 31 === 0;
}

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const birthDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: TODAY, noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replaceAll('-', ''));
const first17 = fc
  .tuple(fc.integer({ min: 1, max: 9 }), digits(5), birthDate, digits(3))
  .map(([a, region, birth, seq]) => `${a}${region}${birth}${seq}`);
const validResidentId = first17.map((f) => f + residentIdCheckChar(f));

const creditChar = fc.constantFrom(...CREDIT_CODE_ALPHABET);
const validCreditCode = fc
  .array(creditChar, { minLength: 17, maxLength: 17 })
  .map((a) => a.join(''))
  .map((f) => f + creditCodeCheckChar(f));

const replaceAt = (s: string, i: number, ch: string) => s.slice(0, i) + ch + s.slice(i + 1);
const swap = (s: string, i: number) => s.slice(0, i) + s[i + 1]! + s[i]! + s.slice(i + 2);

describe('resident ID (GB 11643)', () => {
  it('accepts the example of the standard', () => {
    expect(residentIdProblem('11010519491231002X', TODAY)).toBeNull();
  });

  it('accepts every number whose check digit is computed', () => {
    fc.assert(
      fc.property(validResidentId, (id) => {
        expect(residentIdProblem(id, TODAY)).toBeNull();
        expect(mod11_2Holds(id)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects every single-character change (the check digit catches all of them)', () => {
    fc.assert(
      fc.property(validResidentId, fc.integer({ min: 0, max: 17 }), fc.constantFrom(...'0123456789X'), (id, i, ch) => {
        fc.pre(id[i] !== ch);
        const changed = replaceAt(id, i, ch);
        expect(residentIdProblem(changed, TODAY) === null).toBe(residentIdOracle(changed));
        expect(residentIdProblem(changed, TODAY)).not.toBeNull();
      }),
      { numRuns: 3000 },
    );
  });

  it('rejects transpositions of neighbours except the collisions the oracle computes', () => {
    let collisions = 0;
    fc.assert(
      fc.property(validResidentId, fc.integer({ min: 0, max: 16 }), (id, i) => {
        fc.pre(id[i] !== id[i + 1]);
        const swapped = swap(id, i);
        const valid = residentIdOracle(swapped);
        if (valid) collisions++;
        expect(residentIdProblem(swapped, TODAY) === null).toBe(valid);
      }),
      { numRuns: 3000 },
    );
    // Adjacent weights differ mod 11, so only a swap into the check position can collide, and rarely.
    expect(collisions).toBeLessThan(100);
  });

  it('rejects wrong lengths, letters, region 0, unreal and future birth dates', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }).filter((n) => n !== 18),
        (n) => {
          expect(residentIdProblem('1'.repeat(n), TODAY)).toBe('must be 17 digits and a digit or X');
        },
      ),
    );
    const withCheck = (f: string) => f + residentIdCheckChar(f);
    expect(residentIdProblem(withCheck('01010519491231002'), TODAY)).toBe('region code is not valid');
    for (const date of ['19490230', '19491301', '19490000', '18991231', '20250229']) {
      expect(residentIdProblem(withCheck(`110105${date}002`), TODAY)).toBe('birth date is not a real date');
    }
    expect(residentIdProblem(withCheck('11010520240229002'), TODAY)).toBeNull();
    expect(residentIdProblem(withCheck('11010520260303002'), TODAY)).toBe('birth date is in the future');
    expect(residentIdProblem('11010519491231002x', TODAY)).not.toBeNull();
  });

  it('is normalised by the contract: trimmed and upper-cased, then checked', () => {
    expect(applicantKeySchema.parse({ idType: 'resident_id', idNumber: ' 11010519491231002x ' })).toEqual({
      idType: 'resident_id',
      idNumber: '11010519491231002X',
    });
    const bad = applicantKeySchema.safeParse({ idType: 'resident_id', idNumber: '110105194912310021' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('resident ID check digit does not match');
  });
});

describe('unified social credit code (GB 32100)', () => {
  it('accepts a known code', () => {
    expect(creditCodeProblem('91350100M000100Y43')).toBeNull();
  });

  it('accepts every code whose check character is computed', () => {
    fc.assert(
      fc.property(validCreditCode, (code) => {
        expect(creditCodeProblem(code)).toBeNull();
        expect(creditCodeOracle(code)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects every single-character change and every neighbour transposition', () => {
    fc.assert(
      fc.property(validCreditCode, fc.integer({ min: 0, max: 17 }), creditChar, (code, i, ch) => {
        fc.pre(code[i] !== ch);
        const changed = replaceAt(code, i, ch);
        expect(creditCodeProblem(changed) === null).toBe(creditCodeOracle(changed));
        expect(creditCodeProblem(changed)).not.toBeNull();
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(validCreditCode, fc.integer({ min: 0, max: 16 }), (code, i) => {
        fc.pre(code[i] !== code[i + 1]);
        const swapped = swap(code, i);
        expect(creditCodeProblem(swapped) === null).toBe(creditCodeOracle(swapped));
      }),
      { numRuns: 3000 },
    );
  });

  it('rejects the letters the alphabet leaves out and wrong lengths', () => {
    fc.assert(
      fc.property(validCreditCode, fc.integer({ min: 0, max: 17 }), fc.constantFrom(...'IOSVZ'), (code, i, ch) => {
        expect(creditCodeProblem(replaceAt(code, i, ch))).toBe(
          'must be 18 characters of 0-9 and A-Y without I, O, S, V, Z',
        );
      }),
    );
    expect(creditCodeProblem('91350100M000100Y4')).not.toBeNull();
    expect(creditCodeProblem('91350100M000100Y430')).not.toBeNull();
  });

  it('upper-cases lower-case input in the contract', () => {
    expect(applicantKeySchema.parse({ idType: 'uscc', idNumber: '91350100m000100y43' }).idNumber).toBe(
      '91350100M000100Y43',
    );
  });
});

describe('applicant input', () => {
  it('checks the number by its type and refuses a mismatch of kind and type', () => {
    const person = { kind: 'person', name: '张三', idType: 'resident_id', phone: '13800138000' };
    expect(applicantInputSchema.safeParse({ ...person, idNumber: '11010519491231002X' }).success).toBe(true);
    const bad = applicantInputSchema.safeParse({ ...person, idNumber: '110105194912310021' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['idNumber']);
    expect(applicantInputSchema.safeParse({ ...person, idType: 'uscc', idNumber: '91350100M000100Y43' }).success).toBe(
      false,
    );
    expect(applicantInputSchema.safeParse({ ...person, idType: 'passport', idNumber: 'E12345678' }).success).toBe(true);
    expect(applicantInputSchema.safeParse({ ...person, idType: 'passport', idNumber: 'E1234-5678' }).success).toBe(
      false,
    );
  });
});

describe('masking', () => {
  it('shows only the first 6 and last 4 of a long number, and keeps its length', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    fc.assert(
      fc.property(validResidentId, (id) => {
        const masked = maskIdNumber(id);
        expect(masked).toHaveLength(18);
        expect(masked.slice(0, 6)).toBe(id.slice(0, 6));
        expect(masked.slice(-4)).toBe(id.slice(-4));
        // The birth date never shows.
        expect(masked.slice(6, 14)).toBe('********');
      }),
    );
  });

  it('shows 2 + 2 of short document numbers and nothing of tiny ones', () => {
    expect(maskIdNumber('E12345678')).toBe('E1*****78');
    expect(maskIdNumber('AB12')).toBe('AB12'.replace(/./g, '*'));
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z0-9]{6,14}$/), (id) => {
        const masked = maskIdNumber(id);
        expect(masked).toHaveLength(id.length);
        expect(masked.slice(2, -2)).toMatch(/^\*+$/);
      }),
    );
  });

  it('masks every person’s document and shows an organisation’s public credit code in full', () => {
    expect(shownIdNumber('resident_id', '11010519491231002X')).toBe('110105********002X');
    expect(shownIdNumber('passport', 'E12345678')).toBe('E1*****78');
    expect(shownIdNumber('hkmo_permit', 'H12345678')).toBe('H1*****78');
    expect(shownIdNumber('uscc', '91350100M000100Y43')).toBe('91350100M000100Y43');
  });

  it('masks phones to 3 + 4 digits', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('12345')).toBe('*****');
  });

  it("masks a person's name to its first character and two stars, whatever its length; an organisation's stays whole", () => {
    expect(maskApplicantName('person', '张三')).toBe('张**');
    expect(maskApplicantName('person', '欧阳娜娜')).toBe('欧**');
    expect(maskApplicantName('person', ' John Smith')).toBe('J**');
    // A character outside the BMP is one character, not half of a surrogate pair.
    expect(maskApplicantName('person', '𠀋小明')).toBe('𠀋**');
    expect(maskApplicantName('person', '')).toBe('');
    expect(maskApplicantName('organisation', '某某科技有限公司')).toBe('某某科技有限公司');
  });
});
