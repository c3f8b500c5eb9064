import { describe, expect, it } from 'vitest';
import { runCentral } from '../../central/src/run-central';
import { buildCentral } from '../../central/src/server';
import { createPool } from '../../central/src/db/pool';

/**
 * `CENTRAL_ADMIN_TOKEN=""` (or a short guessable one) started central with the admin token exchange armed
 * on a secret anyone could try: central must refuse to start, naming the variable, before it opens its
 * database or port.
 */
describe('central: the admin secret is at least 32 characters', () => {
  // A database that cannot be reached: the refusal must come before central touches it.
  const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PORT: '0' };

  for (const token of ['', '   ', 'short-secret', 'x'.repeat(31)]) {
    it(`refuses to start with CENTRAL_ADMIN_TOKEN of ${token.length} characters`, async () => {
      await expect(runCentral({ ...env, CENTRAL_ADMIN_TOKEN: token })).rejects.toThrow(
        /CENTRAL_ADMIN_TOKEN.*at least 32 characters/,
      );
    });
  }

  it('refuses a short admin token given to buildCentral directly', async () => {
    const pool = createPool(env.DATABASE_URL, 1);
    try {
      await expect(buildCentral({ pool, adminToken: 'short-secret', nudges: false })).rejects.toThrow(
        /at least 32 characters/,
      );
    } finally {
      await pool.end();
    }
  });
});
