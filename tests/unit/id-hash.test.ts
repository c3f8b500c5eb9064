import { describe, expect, it } from 'vitest';
import { DEMO_ID_HASH_KEY, deviceConfigSchema, idHashKeyBytes } from '@shared/config';
import { INTAKE_MUTATIONS } from '@shared/sync/mutations/intake';
import { hashApplicantId, idHashKey } from '../../electron/core/intake/id-hash';

const base = { hall: { code: 'H1', name: '大厅' }, deviceCode: 'D1', roles: ['counter'] };

describe('the ID lookup hash', () => {
  it('is keyed: another deployment key gives another hash, the same key the same one', () => {
    const a = idHashKey('a'.repeat(64));
    const b = idHashKey('b'.repeat(64));
    const id = '11010519491231002X';
    expect(hashApplicantId(a, 'resident_id', id)).toBe(hashApplicantId(a, 'resident_id', id));
    expect(hashApplicantId(a, 'resident_id', id)).not.toBe(hashApplicantId(b, 'resident_id', id));
    expect(hashApplicantId(a, 'resident_id', id)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('normalises the number and separates the ID types', () => {
    const k = idHashKey(undefined);
    expect(hashApplicantId(k, 'resident_id', ' 11010519491231002x')).toBe(
      hashApplicantId(k, 'resident_id', '11010519491231002X'),
    );
    expect(hashApplicantId(k, 'passport', 'E12345678')).not.toBe(hashApplicantId(k, 'hkmo_permit', 'E12345678'));
  });

  it('reads hex and base64 keys and refuses short or malformed ones in the config', () => {
    const bytes = Buffer.alloc(32, 7);
    expect(idHashKey(bytes.toString('hex'))).toEqual(bytes);
    expect(idHashKey(bytes.toString('base64'))).toEqual(bytes);
    expect(idHashKey(undefined)).toEqual(Buffer.from(DEMO_ID_HASH_KEY, 'hex'));
    expect(idHashKeyBytes(DEMO_ID_HASH_KEY)).toBeGreaterThanOrEqual(32);
    expect(deviceConfigSchema.safeParse({ ...base, idHashKey: bytes.toString('base64') }).success).toBe(true);
    for (const bad of ['00'.repeat(31), Buffer.alloc(31).toString('base64'), 'not a key!', '']) {
      expect(deviceConfigSchema.safeParse({ ...base, idHashKey: bad }).success, bad).toBe(false);
    }
    expect(deviceConfigSchema.parse(base).idHashKey).toBeUndefined();
  });

  it('is what central gets: the applicant mutation has no field for a clear number', () => {
    const args = {
      applicantId: '0b7c4a52-4c57-4b8e-9a55-0a3f1f0c2d11',
      kind: 'person',
      name: '张三',
      idType: 'resident_id',
      idHash: 'a'.repeat(64),
      idMasked: '110105********002X',
      phone: '13800138000',
      segment: 'citizen',
      orgType: null,
      contactName: null,
      at: '2026-03-02T02:00:00.000Z',
    };
    expect(INTAKE_MUTATIONS['applicant.upsert@1'].safeParse(args).success).toBe(true);
    expect(INTAKE_MUTATIONS['applicant.upsert@1'].safeParse({ ...args, idNumber: '11010519491231002X' }).success).toBe(
      false,
    );
    for (const name of Object.keys(INTAKE_MUTATIONS)) expect(name).toMatch(/^[a-z]+(\.[a-zA-Z]+)+@\d+$/);
  });
});
