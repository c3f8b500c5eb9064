import { describe, expect, it } from 'vitest';
import type { Matter } from '@shared/api';
import { creditCodeCheckChar } from '@shared/validation/credit-code';
import { residentIdCheckChar } from '@shared/validation/resident-id';
import { idProblemKey } from '../../renderer/src/stores/id-check';
import { outcomeHints } from '../../renderer/src/stores/outcome-hints';

const ID17 = '11010519491231002';
const RESIDENT = ID17 + residentIdCheckChar(ID17);
const wrongCheck = (id: string, alphabet: string) => id.slice(0, -1) + alphabet.split('').find((c) => c !== id.at(-1));

describe('identity number messages at the counter', () => {
  it('accepts a valid resident ID in either case of X', () => {
    expect(idProblemKey('resident_id', RESIDENT)).toBeNull();
    expect(idProblemKey('resident_id', ` ${RESIDENT.toLowerCase()} `)).toBeNull();
  });

  it('names each way a resident ID can be wrong', () => {
    expect(idProblemKey('resident_id', '')).toBe('intakePage.idProblem.empty');
    expect(idProblemKey('resident_id', '1101051949')).toBe('intakePage.idProblem.residentFormat');
    expect(idProblemKey('resident_id', wrongCheck(RESIDENT, '0123456789X'))).toBe('intakePage.idProblem.residentCheck');
    const badDate = '11010519490231002';
    expect(idProblemKey('resident_id', badDate + residentIdCheckChar(badDate))).toBe(
      'intakePage.idProblem.residentBirth',
    );
  });

  it('checks credit codes by GB 32100 and other documents by their pattern', () => {
    const code17 = '91110000600037341';
    const code = code17 + creditCodeCheckChar(code17);
    expect(idProblemKey('uscc', code)).toBeNull();
    expect(idProblemKey('uscc', wrongCheck(code, '0123456789ABC'))).toBe('intakePage.idProblem.creditCheck');
    expect(idProblemKey('uscc', 'I1110000600037341X')).toBe('intakePage.idProblem.creditFormat');
    expect(idProblemKey('passport', 'E12345678')).toBeNull();
    expect(idProblemKey('passport', 'E1-23')).toBe('intakePage.idProblem.document');
  });
});

const material = (id: string, requirement: 'required' | 'optional' | 'tolerant') => ({
  id,
  nameZh: id,
  nameEn: id,
  requirement,
  form: 'copy' as const,
  copies: 1,
  note: '',
});
const MATTER: Matter = {
  code: 'M-001',
  nameZh: '事项',
  nameEn: 'Matter',
  departmentId: 'd1',
  applicantTypes: ['person'],
  materials: [material('req', 'required'), material('opt', 'optional'), material('tol', 'tolerant')],
  feeFen: 0,
  legalDays: 20,
  promisedDays: 5,
  active: true,
  keywords: [],
  legalBasis: '',
  acceptanceText: '',
  rejectionText: '',
};

describe('outcome hints of the materials checklist', () => {
  it('blocks acceptance while a required material is missing, and offers the notice', () => {
    const h = outcomeHints(MATTER, { req: 'missing', opt: 'missing', tol: 'received' });
    expect(h.canAccept).toBe(false);
    expect(h.canNotice).toBe(true);
    expect(h.missingRequired.map((m) => m.id)).toEqual(['req']);
  });

  it('accepts with 容缺 when the tolerant material is promised, and never needs the optional one', () => {
    const h = outcomeHints(MATTER, { req: 'received', opt: 'missing', tol: 'tolerated' });
    expect(h.canAccept).toBe(true);
    expect(h.canNotice).toBe(false);
    expect(h.tolerated.map((m) => m.id)).toEqual(['tol']);
  });

  it('asks for a decision on a tolerant material left missing', () => {
    const h = outcomeHints(MATTER, { req: 'received', opt: 'received', tol: 'missing' });
    expect(h.canAccept).toBe(false);
    expect(h.missingTolerant.map((m) => m.id)).toEqual(['tol']);
  });

  it('allows nothing without a matter', () => {
    expect(outcomeHints(null, {})).toMatchObject({ canAccept: false, canNotice: false });
  });
});
