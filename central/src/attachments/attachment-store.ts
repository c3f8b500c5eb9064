import type { CasePageRef } from '@shared/attachments/attachments';
import type { Db, Tx } from '../db/pool';

export interface CasePageRow extends CasePageRef {
  /** Central holds the page whole and verified. */
  arrived: boolean;
}

/** Which pages central holds, and which pages each case names: SQL only. */
export const attachmentStore = {
  async stored(db: Db | Tx, sha256: string): Promise<{ bytes: number; mime: string } | undefined> {
    const { rows } = await db.query<{ bytes: number; mime: string }>(
      'SELECT bytes, mime FROM attachment_blobs WHERE sha256 = $1',
      [sha256],
    );
    return rows[0];
  },

  /**
   * What an upload request asks first, in one round trip: whether central holds the page already, and what
   * this device stored here in the last 24 hours (`storedToday`, what its quota counts).
   */
  async uploadState(
    db: Db,
    sha256: string,
    deviceId: string,
  ): Promise<{ stored: { bytes: number } | undefined; storedToday: number }> {
    const { rows } = await db.query<{ bytes: number | null; today: string }>(
      `SELECT (SELECT bytes FROM attachment_blobs WHERE sha256 = $1) AS bytes,
              (SELECT coalesce(sum(bytes), 0) FROM attachment_blobs
               WHERE device_id = $2 AND stored_at > now() - interval '1 day') AS today`,
      [sha256, deviceId],
    );
    const r = rows[0]!;
    return { stored: r.bytes === null ? undefined : { bytes: r.bytes }, storedToday: Number(r.today) };
  },

  /** Records a verified page; false when it was already there (another device, or a retried last request). */
  async recordStored(db: Db, b: { sha256: string; bytes: number; mime: string; deviceId: string }): Promise<boolean> {
    const r = await db.query(
      `INSERT INTO attachment_blobs (sha256, bytes, mime, device_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sha256) DO NOTHING`,
      [b.sha256, b.bytes, b.mime, b.deviceId],
    );
    return r.rowCount === 1;
  },

  /** The hall a case belongs to, or undefined when central has no such case. */
  async caseHall(tx: Tx, caseId: string): Promise<string | undefined> {
    const { rows } = await tx.query<{ hall_id: string }>('SELECT hall_id FROM case_status WHERE case_id = $1', [
      caseId,
    ]);
    return rows[0]?.hall_id;
  },

  async nameCasePages(tx: Tx, caseId: string, pages: readonly CasePageRef[]) {
    for (const p of pages) {
      await tx.query(
        `INSERT INTO case_pages (case_id, material_id, position, sha256, bytes, mime) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT DO NOTHING`,
        [caseId, p.materialId, p.position, p.sha256, p.bytes, p.mime],
      );
    }
  },

  async casePages(db: Db, caseId: string): Promise<CasePageRow[]> {
    const { rows } = await db.query<CasePageRow>(
      `SELECT p.material_id AS "materialId", p.position, p.sha256, p.bytes, p.mime, (b.sha256 IS NOT NULL) AS arrived
       FROM case_pages p LEFT JOIN attachment_blobs b ON b.sha256 = p.sha256
       WHERE p.case_id = $1 ORDER BY p.material_id, p.position`,
      [caseId],
    );
    return rows;
  },
};
