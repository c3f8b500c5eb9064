import type pg from 'pg';

/**
 * Migration 006's data step: each `clerk` reference row (one per hall) becomes a staff account with role
 * clerk, the same id (made valid for staffIdSchema), a login from the lower-cased id (made valid and
 * unique) and the PIN hash as it was; the same id in several halls is one person of those halls. The
 * clerk rows become tombstones and the staff rows are written, each with a new version of the ref clock,
 * so devices pull both. SQL lives here rather than in a store: a migration must not change with the code.
 */
export async function migrateClerksToStaff(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<{ id: string; hall_id: string; data: { name?: string; pinHash?: string } }>(
    `SELECT id, hall_id::text, data FROM ref_rows WHERE kind = 'clerk' AND NOT deleted AND hall_id IS NOT NULL
     ORDER BY id, version`,
  );
  const people = new Map<string, { staffId: string; name: string; pinHash: string | null; halls: string[] }>();
  for (const r of rows) {
    const staffId = r.id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
    const p = people.get(staffId) ?? { staffId, name: '', pinHash: null, halls: [] };
    // The newest row (ordered by version) names the person.
    p.name = (r.data.name ?? staffId).slice(0, 40);
    p.pinHash = r.data.pinHash ?? p.pinHash;
    p.halls.push(r.hall_id);
    people.set(staffId, p);
  }
  const taken = new Set((await client.query<{ login: string }>('SELECT login FROM staff')).rows.map((r) => r.login));
  const bump = async () =>
    (
      await client.query<{ version: number }>(
        'UPDATE ref_clock SET version = version + 1 WHERE id = 1 RETURNING version',
      )
    ).rows[0]!.version;
  for (const p of people.values()) {
    let base = p.staffId
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '-')
      .replace(/^[^a-z0-9]+/, '');
    if (base.length < 2) base = `clerk-${base}`.replace(/-$/, '');
    base = base.slice(0, 32);
    let login = base;
    for (let n = 2; taken.has(login); n++) login = `${base.slice(0, 32 - String(n).length - 1)}-${n}`;
    taken.add(login);
    await client.query(
      `INSERT INTO staff (id, login, name, roles, hall_ids, pin_hash, source)
       VALUES ($1, $2, $3, ARRAY['clerk'], $4::uuid[], $5, 'central')`,
      [p.staffId, login, p.name, p.halls, p.pinHash],
    );
    const data = {
      login,
      name: p.name,
      roles: ['clerk'],
      enabled: true,
      pinHash: p.pinHash,
      passwordHash: null,
      totpSecret: null,
    };
    for (const hallId of p.halls) {
      await client.query(
        `INSERT INTO ref_rows (kind, id, hall_id, leader_id, version, deleted, data)
         VALUES ('staff', $1, $2, NULL, $3, false, $4)`,
        [p.staffId, hallId, await bump(), JSON.stringify(data)],
      );
    }
  }
  // Tombstones, not removals: a device that pulled a clerk row learns it is gone.
  const clerks = await client.query<{ id: string; hall_key: string }>(
    `SELECT id, hall_key FROM ref_rows WHERE kind = 'clerk' AND NOT deleted ORDER BY version`,
  );
  for (const c of clerks.rows) {
    await client.query(
      `UPDATE ref_rows SET deleted = true, data = 'null'::jsonb, version = $3
       WHERE kind = 'clerk' AND id = $1 AND hall_key = $2`,
      [c.id, c.hall_key, await bump()],
    );
  }
}
