import { describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  auditHash,
  canonicalJson,
  verifyChain,
  type AuditEntry,
} from '../../electron/core/leader/audit-chain';

function chain(n: number): AuditEntry[] {
  const rows: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields = {
      seq,
      at: `2026-05-0${seq}T08:00:00.000Z`,
      leaderId: '7b0c2a3e-8d7f-4f4f-9a55-0c1d2e3f4a5b',
      origin: 'window-leader-1',
      event: seq === 1 ? 'login.success' : 'file.view',
      targetId: null,
      detail: { classification: 'secret' },
    };
    const hash = auditHash(prev, fields);
    rows.push({ ...fields, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe('audit hash chain', () => {
  it('hashes a canonical form: key order does not matter', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null } })).toBe('{"a":{"c":null,"d":[1,"x"]},"b":1}');
  });

  it('verifies an intact chain', () => {
    expect(verifyChain(chain(5))).toEqual({ ok: true, entries: 5, firstBrokenSeq: null, reason: null });
    expect(verifyChain([])).toMatchObject({ ok: true, entries: 0 });
  });

  it('finds the first changed row', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2]!, detail: { classification: 'internal' } };
    expect(verifyChain(rows)).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: expect.stringMatching(/changed/) });
  });

  it('finds a removed row and a re-hashed forgery that no longer links', () => {
    const rows = chain(5);
    expect(verifyChain([...rows.slice(0, 2), ...rows.slice(3)])).toMatchObject({ ok: false, firstBrokenSeq: 4 });
    const forged = { ...rows[1]!, event: 'nothing' };
    forged.hash = auditHash(forged.prevHash, forged);
    const result = verifyChain([rows[0]!, forged, ...rows.slice(2)]);
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: expect.stringMatching(/link/) });
  });
});
