import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../central/src/db/pool';
import { centralMigrations, migrate } from '../../central/src/db/migrate';
import { buildCentral } from '../../central/src/server';
import { createTestDatabase } from '../fixtures/central-db';
import { TEST_PASSWORD, signInAt } from '../fixtures/central-identity';
import { ADMIN_TOKEN } from '../fixtures/central-server';

const PIN_HASH = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=';

/** An existing central (migration 5, clerks as reference rows, one shared admin token) upgraded to staff accounts. */
describe('central upgraded to staff accounts', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: ReturnType<typeof createPool>;
  const hallA = crypto.randomUUID();
  const hallB = crypto.randomUUID();
  let clockBefore = 0;
  const apps: FastifyInstance[] = [];

  const serve = async (adminToken: string | undefined) => {
    const app = await buildCentral({ pool, adminToken, nudges: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    apps.push(app);
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  };
  const post = async (url: string, path: string, body: unknown, token: string) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = database.createPool(4);
    await migrate(pool, centralMigrations.slice(0, 5));
    await pool.query(`INSERT INTO halls (id, code, name) VALUES ($1, 'MIGA', 'A'), ($2, 'MIGB', 'B')`, [hallA, hallB]);
    const clerk = async (id: string, hallId: string, name: string, deleted = false) => {
      const { rows } = await pool.query<{ version: number }>(
        'UPDATE ref_clock SET version = version + 1 RETURNING version',
      );
      await pool.query(
        `INSERT INTO ref_rows (kind, id, hall_id, version, deleted, data) VALUES ('clerk', $1, $2, $3, $4, $5)`,
        [id, hallId, rows[0]!.version, deleted, JSON.stringify(deleted ? null : { name, pinHash: PIN_HASH })],
      );
      clockBefore = rows[0]!.version;
    };
    await clerk('K1', hallA, '王五');
    await clerk('k1', hallB, '赵六'); // lower-cases to the same login
    await clerk('Z', hallA, '钱七'); // a one-letter login is too short
    await clerk('K1', hallB, '王五');
    await clerk('gone', hallA, '', true);
    await migrate(pool);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await pool.end();
    await database.drop();
  });

  it('turns each clerk into a staff account of its halls, with its PIN, valid and unique logins', async () => {
    const { rows } = await pool.query<{ id: string; login: string; name: string; roles: string[]; halls: string[] }>(
      `SELECT id, login, name, roles, hall_ids::text[] AS halls, pin_hash FROM staff ORDER BY id`,
    );
    expect(rows.map((r) => [r.id, r.login, r.roles])).toEqual([
      ['K1', 'k1', ['clerk']],
      ['Z', 'clerk-z', ['clerk']],
      ['k1', 'k1-2', ['clerk']],
    ]);
    expect(rows[0]!.halls.sort()).toEqual([hallA, hallB].sort());
    for (const r of rows) expect(r.login).toMatch(/^[a-z0-9][a-z0-9._-]{1,31}$/);
  });

  it('writes staff rows and clerk tombstones with new versions, so devices pull both', async () => {
    const { rows } = await pool.query<{
      kind: string;
      id: string;
      hall_id: string;
      version: number;
      deleted: boolean;
      data: unknown;
    }>(`SELECT kind, id, hall_id::text, version, deleted, data FROM ref_rows ORDER BY version`);
    const clerks = rows.filter((r) => r.kind === 'clerk');
    expect(clerks.every((r) => r.deleted)).toBe(true);
    expect(clerks.filter((r) => r.id !== 'gone').every((r) => r.version > clockBefore)).toBe(true);
    const staff = rows.filter((r) => r.kind === 'staff');
    expect(staff).toHaveLength(4);
    expect(staff.every((r) => r.version > clockBefore && !r.deleted)).toBe(true);
    expect(staff.find((r) => r.id === 'K1' && r.hall_id === hallB)?.data).toEqual({
      login: 'k1',
      name: '王五',
      roles: ['clerk'],
      enabled: true,
      pinHash: PIN_HASH,
      passwordHash: null,
      totpSecret: null,
    });
    const versions = rows.map((r) => r.version);
    expect(new Set(versions).size).toBe(versions.length);
    const clock = await pool.query<{ version: number }>('SELECT version FROM ref_clock');
    expect(clock.rows[0]!.version).toBe(Math.max(...versions));
  });

  it('exchanges the old admin token once for the first central administrator, then never again', async () => {
    const url = await serve(ADMIN_TOKEN);
    const body = { login: 'chief', name: '主任', password: TEST_PASSWORD };
    expect((await post(url, '/admin/v1/bootstrap/exchange', body, 'wrong-token-0123456789')).status).toBe(401);
    const ex = await post(url, '/admin/v1/bootstrap/exchange', body, ADMIN_TOKEN);
    expect(ex.status).toBe(201);
    expect(ex.json.otpauthUri).toMatch(/^otpauth:\/\/totp\/.*chief/);
    const again = await post(url, '/admin/v1/bootstrap/exchange', { ...body, login: 'chief2' }, ADMIN_TOKEN);
    expect([again.status, again.json.code]).toEqual([409, 'ALREADY_BOOTSTRAPPED']);
    // The old token opens nothing else, before or after.
    const halls = await fetch(`${url}/admin/v1/halls`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(halls.status).toBe(401);
    const signedIn = await signInAt(url, 'chief', TEST_PASSWORD, ex.json.totpSecret as string);
    expect(signedIn.status).toBe(200);
    const list = await fetch(`${url}/admin/v1/halls`, { headers: { authorization: `Bearer ${signedIn.json.token}` } });
    expect(((await list.json()) as unknown[]).length).toBe(2);
  });

  it('never takes an empty or blank admin token', async () => {
    await pool.query(`DELETE FROM admin_sessions`);
    // Configured empty or blank, central does not start at all (tests/security/central-admin-secret.test.ts).
    for (const configured of ['', '   ']) {
      await expect(buildCentral({ pool, adminToken: configured, nudges: false })).rejects.toThrow(/at least 32/);
    }
    // Without one, an empty or blank token exchanges for nothing.
    const url = await serve(undefined);
    for (const given of ['', ' ']) {
      const res = await post(
        url,
        '/admin/v1/bootstrap/exchange',
        { login: 'x1', name: 'x', password: TEST_PASSWORD },
        given,
      );
      expect(res.status).toBe(401);
    }
  });
});
