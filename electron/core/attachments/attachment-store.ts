import type { Database } from 'better-sqlite3';
import type { Page } from '@shared/attachments/attachments';

interface PageRow {
  id: string;
  draft_id: string;
  case_id: string | null;
  material_id: string;
  position: number;
  sha256: string;
  bytes: number;
  mime: Page['mime'];
  added_at: string;
  confirmed_at: string | null;
}

const PAGE_COLUMNS = `p.id, p.draft_id, p.case_id, p.material_id, p.position, p.sha256, b.bytes, b.mime,
  p.added_at, b.confirmed_at`;
const toPage = (r: PageRow): Page => ({
  id: r.id,
  draftId: r.draft_id,
  caseId: r.case_id,
  materialId: r.material_id,
  position: r.position,
  sha256: r.sha256,
  bytes: r.bytes,
  mime: r.mime,
  addedAt: r.added_at,
  confirmedAt: r.confirmed_at,
});

/** The page lists and the state of each content file: SQL only. */
export function createAttachmentStore(db: Database) {
  const byDraft = db.prepare<[string], PageRow>(
    `SELECT ${PAGE_COLUMNS} FROM attachment_pages p JOIN attachment_blobs b USING (sha256)
     WHERE p.draft_id = ? ORDER BY p.material_id, p.position`,
  );
  const byCase = db.prepare<[string], PageRow>(
    `SELECT ${PAGE_COLUMNS} FROM attachment_pages p JOIN attachment_blobs b USING (sha256)
     WHERE p.case_id = ? ORDER BY p.material_id, p.position`,
  );
  const byId = db.prepare<[string], PageRow>(
    `SELECT ${PAGE_COLUMNS} FROM attachment_pages p JOIN attachment_blobs b USING (sha256) WHERE p.id = ?`,
  );
  const blob = db.prepare<[string], { sha256: string; bytes: number; mime: string; pruned_at: string | null }>(
    'SELECT sha256, bytes, mime, pruned_at FROM attachment_blobs WHERE sha256 = ?',
  );
  const insertBlob = db.prepare(
    `INSERT INTO attachment_blobs (sha256, bytes, mime, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (sha256) DO UPDATE SET pruned_at = NULL, confirmed_at = CASE WHEN pruned_at IS NULL THEN confirmed_at END`,
  );
  const nextPosition = db.prepare<[string, string], { n: number }>(
    'SELECT coalesce(max(position) + 1, 0) AS n FROM attachment_pages WHERE draft_id = ? AND material_id = ?',
  );
  const insertPage = db.prepare(
    `INSERT INTO attachment_pages (id, draft_id, case_id, material_id, position, sha256, added_at)
     VALUES (?, ?, NULL, ?, ?, ?, ?)`,
  );
  const samePage = db.prepare<[string, string, string], PageRow>(
    `SELECT ${PAGE_COLUMNS} FROM attachment_pages p JOIN attachment_blobs b USING (sha256)
     WHERE p.draft_id = ? AND p.material_id = ? AND p.sha256 = ?`,
  );
  const setPosition = db.prepare('UPDATE attachment_pages SET position = ? WHERE id = ?');
  const deletePage = db.prepare('DELETE FROM attachment_pages WHERE id = ?');
  const unusedBlob = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM attachment_pages WHERE sha256 = ?');
  const deleteBlob = db.prepare('DELETE FROM attachment_blobs WHERE sha256 = ?');
  const bind = db.prepare('UPDATE attachment_pages SET case_id = ? WHERE draft_id = ? AND case_id IS NULL');
  // Only pages of accepted cases go to central: a draft the clerk abandons never leaves the counter.
  const toUpload = db.prepare<[number], { sha256: string; bytes: number; mime: string }>(
    `SELECT b.sha256, b.bytes, b.mime FROM attachment_blobs b
     WHERE b.confirmed_at IS NULL AND b.pruned_at IS NULL
       AND EXISTS (SELECT 1 FROM attachment_pages p WHERE p.sha256 = b.sha256 AND p.case_id IS NOT NULL)
     ORDER BY b.created_at, b.sha256 LIMIT ?`,
  );
  const confirm = db.prepare('UPDATE attachment_blobs SET confirmed_at = ? WHERE sha256 = ? AND confirmed_at IS NULL');
  // Confirmed before the cutoff and referenced only by accepted cases: a draft's page is still being worked on.
  const prunable = db.prepare<[string], { sha256: string }>(
    `SELECT b.sha256 FROM attachment_blobs b
     WHERE b.pruned_at IS NULL AND b.confirmed_at IS NOT NULL AND b.confirmed_at < ?
       AND NOT EXISTS (SELECT 1 FROM attachment_pages p WHERE p.sha256 = b.sha256 AND p.case_id IS NULL)`,
  );
  const markPruned = db.prepare('UPDATE attachment_blobs SET pruned_at = ? WHERE sha256 = ?');
  // A draft nobody took in (the applicant left): its newest page is older than the cutoff.
  const staleDrafts = db.prepare<[string], { draft_id: string }>(
    `SELECT draft_id FROM attachment_pages GROUP BY draft_id
     HAVING max(case_id IS NOT NULL) = 0 AND max(added_at) < ?`,
  );
  const draftPageShas = db.prepare<[string], { id: string; sha256: string }>(
    'SELECT id, sha256 FROM attachment_pages WHERE draft_id = ?',
  );

  return {
    transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
    draftPages: (draftId: string) => byDraft.all(draftId).map(toPage),
    casePages: (caseId: string) => byCase.all(caseId).map(toPage),
    page: (id: string) => {
      const r = byId.get(id);
      return r ? toPage(r) : undefined;
    },
    blob: (sha256: string) => blob.get(sha256),
    /** The page already in this material of this draft with these bytes, if any (a double import). */
    samePage: (draftId: string, materialId: string, sha256: string) => {
      const r = samePage.get(draftId, materialId, sha256);
      return r ? toPage(r) : undefined;
    },
    /** Records a content file (again, if it had been pruned: it was just written back). */
    putBlob(b: { sha256: string; bytes: number; mime: string }, at: string) {
      insertBlob.run(b.sha256, b.bytes, b.mime, at);
    },
    appendPage(p: { id: string; draftId: string; materialId: string; sha256: string }, at: string) {
      const position = nextPosition.get(p.draftId, p.materialId)!.n;
      insertPage.run(p.id, p.draftId, p.materialId, position, p.sha256, at);
    },
    setPositions(pageIds: readonly string[]) {
      pageIds.forEach((id, i) => setPosition.run(i, id));
    },
    /** Deletes the page; true when no page uses its content any more (the file can go). */
    deletePage(id: string, sha256: string): boolean {
      deletePage.run(id);
      if (unusedBlob.get(sha256)!.n > 0) return false;
      deleteBlob.run(sha256);
      return true;
    },
    bindDraft: (draftId: string, caseId: string) => bind.run(caseId, draftId).changes,
    toUpload: (limit: number) => toUpload.all(limit),
    /** Pages central holds, in one transaction (one commit to wait on, not one for each). */
    confirmAll: db.transaction((sha256s: readonly string[], at: string) => {
      for (const sha256 of sha256s) confirm.run(at, sha256);
    }),
    prunable: (before: string) => prunable.all(before).map((r) => r.sha256),
    markPruned: (sha256: string, at: string) => markPruned.run(at, sha256),
    staleDrafts: (before: string) => staleDrafts.all(before).map((r) => r.draft_id),
    draftPageRefs: (draftId: string) => draftPageShas.all(draftId),
  };
}
export type AttachmentStore = ReturnType<typeof createAttachmentStore>;
