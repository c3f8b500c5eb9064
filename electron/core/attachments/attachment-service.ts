import crypto from 'node:crypto';
import { AppError, type ErrorCode } from '@shared/api';
import { PAGE_MAX_BYTES, PAGES_PER_MATERIAL_MAX, type CasePageRef, type Page } from '@shared/attachments/attachments';
import { sniffPageMime } from '@shared/attachments/magic';
import type { AttachmentCipher } from './attachment-cipher';
import type { PageFiles } from './attachment-files';
import type { AttachmentStore } from './attachment-store';

/** Why a page was refused, in `details.reason`: the counter shows each its own message. */
export type PageRefusal =
  | 'EMPTY_PAGE'
  | 'PAGE_TOO_LARGE'
  | 'NOT_A_PAGE'
  | 'TOO_MANY_PAGES'
  | 'STORAGE_FULL'
  | 'DRAFT_ACCEPTED'
  | 'UNKNOWN_PAGE'
  | 'PAGE_PRUNED'
  | 'ORDER_MISMATCH'
  | 'UNKNOWN_MATERIAL';

const refuse = (code: ErrorCode, reason: PageRefusal, message: string, extra: object = {}) =>
  new AppError(code, message, { reason, ...extra });

/** Disk errors that mean "no room" rather than a bug: the clerk is told to free space, the case stays acceptable. */
const NO_ROOM = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

export interface AttachmentServiceDeps {
  store: AttachmentStore;
  files: PageFiles;
  cipher: AttachmentCipher;
  now: () => Date;
  /** Days a page stays on the device after central confirmed it. */
  retentionDays: number;
}

/**
 * The counter's scanned pages: each kept once by its SHA-256 (sealed on disk), listed per material of a
 * draft intake, reordered and deleted until `case.intake` binds the draft to its case.
 */
export function createAttachmentService(deps: AttachmentServiceDeps) {
  const { store, files, cipher, now } = deps;

  const draftOpen = (draftId: string) => {
    if (store.draftPages(draftId).some((p) => p.caseId !== null)) {
      throw refuse('CONFLICT', 'DRAFT_ACCEPTED', 'these pages belong to an accepted case now and can no longer change');
    }
  };
  const pageOfDraft = (draftId: string, pageId: string): Page => {
    const page = store.page(pageId);
    if (!page || page.draftId !== draftId) throw refuse('NOT_FOUND', 'UNKNOWN_PAGE', 'no such page in this intake');
    return page;
  };

  return {
    /** Checks and stores one page; the same bytes added again to the same material return the page already there. */
    add(input: { draftId: string; materialId: string; content: Buffer }): Page {
      const { content } = input;
      if (content.length === 0) throw refuse('INVALID_INPUT', 'EMPTY_PAGE', 'the file is empty (0 bytes)');
      if (content.length > PAGE_MAX_BYTES) {
        throw refuse('PAYLOAD_TOO_LARGE', 'PAGE_TOO_LARGE', `a page may have at most ${PAGE_MAX_BYTES} bytes`, {
          bytes: content.length,
          limit: PAGE_MAX_BYTES,
        });
      }
      const mime = sniffPageMime(content);
      if (!mime)
        throw refuse('INVALID_INPUT', 'NOT_A_PAGE', 'the file is not a PDF, JPEG or PNG (checked by its content)');
      const sha256 = crypto.createHash('sha256').update(content).digest('hex');
      draftOpen(input.draftId);
      const same = store.samePage(input.draftId, input.materialId, sha256);
      if (same) return same;
      if (
        store.draftPages(input.draftId).filter((p) => p.materialId === input.materialId).length >=
        PAGES_PER_MATERIAL_MAX
      ) {
        throw refuse('CONFLICT', 'TOO_MANY_PAGES', `a material may have at most ${PAGES_PER_MATERIAL_MAX} pages`);
      }
      // The file before its row: a row always names a whole file; a file without a row is only unused.
      try {
        if (!files.exists(sha256)) files.write(sha256, cipher.seal(sha256, content));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code && NO_ROOM.has(code)) {
          throw refuse(
            'UNAVAILABLE',
            'STORAGE_FULL',
            'the disk is full: the page was not saved (the case can still be accepted)',
          );
        }
        throw e;
      }
      const id = crypto.randomUUID();
      const at = now().toISOString();
      return store.transaction(() => {
        draftOpen(input.draftId);
        store.putBlob({ sha256, bytes: content.length, mime }, at);
        store.appendPage({ id, draftId: input.draftId, materialId: input.materialId, sha256 }, at);
        return store.page(id)!;
      });
    },

    list: (draftId: string): Page[] => store.draftPages(draftId),

    /** The material's pages in the order given, which must name each of them once. */
    reorder(input: { draftId: string; materialId: string; pageIds: string[] }): Page[] {
      return store.transaction(() => {
        draftOpen(input.draftId);
        const current = store.draftPages(input.draftId).filter((p) => p.materialId === input.materialId);
        const ids = new Set(current.map((p) => p.id));
        if (ids.size !== input.pageIds.length || !input.pageIds.every((id) => ids.has(id))) {
          throw refuse('CONFLICT', 'ORDER_MISMATCH', 'the new order must name every page of the material once');
        }
        store.setPositions(input.pageIds);
        return store.draftPages(input.draftId);
      });
    },

    delete(input: { draftId: string; pageId: string }): Page[] {
      const { gone, pages } = store.transaction(() => {
        draftOpen(input.draftId);
        const page = pageOfDraft(input.draftId, input.pageId);
        const unused = store.deletePage(page.id, page.sha256);
        const left = store.draftPages(input.draftId).filter((p) => p.materialId === page.materialId);
        store.setPositions(left.map((p) => p.id));
        return { gone: unused ? page.sha256 : undefined, pages: store.draftPages(input.draftId) };
      });
      if (gone) files.remove(gone);
      return pages;
    },

    /** A page's bytes (for its thumbnail and view), opened from its sealed file. */
    read(pageId: string): { mime: Page['mime']; content: Buffer } {
      const page = store.page(pageId);
      if (!page) throw refuse('NOT_FOUND', 'UNKNOWN_PAGE', 'no such page');
      if (store.blob(page.sha256)?.pruned_at) {
        throw refuse('NOT_FOUND', 'PAGE_PRUNED', 'the page was sent to central and no longer kept on this counter');
      }
      return { mime: page.mime, content: cipher.open(page.sha256, files.read(page.sha256)) };
    },

    /**
     * Binds a draft's pages to the case `case.intake` is creating, inside that command's transaction, and
     * says what the case's `case.pages.attach` mutation names. Pages of a material the matter lacks refuse
     * the intake: the clerk removes them first.
     */
    bindDraft(draftId: string, caseId: string, materialIds: ReadonlySet<string>): CasePageRef[] {
      const pages = store.draftPages(draftId);
      if (pages.some((p) => p.caseId !== null)) {
        throw refuse('CONFLICT', 'DRAFT_ACCEPTED', 'these pages were already accepted with another case');
      }
      const stray = pages.find((p) => !materialIds.has(p.materialId));
      if (stray) {
        throw refuse(
          'CONFLICT',
          'UNKNOWN_MATERIAL',
          `pages were added to "${stray.materialId}", not a material of this matter`,
        );
      }
      store.bindDraft(draftId, caseId);
      return pages.map((p) => ({
        materialId: p.materialId,
        position: p.position,
        sha256: p.sha256,
        bytes: p.bytes,
        mime: p.mime,
      }));
    },

    casePages: (caseId: string): Page[] => store.casePages(caseId),

    /**
     * Drops the local copies central confirmed more than the retention period ago (the rows stay, marked
     * pruned), and the pages of drafts nobody took in within that period: personal data kept for no case.
     */
    prune(): string[] {
      const cutoff = new Date(now().getTime() - deps.retentionDays * 86_400_000).toISOString();
      const at = now().toISOString();
      const { pruned, unused } = store.transaction(() => {
        const shas = store.prunable(cutoff);
        for (const sha of shas) store.markPruned(sha, at);
        const gone: string[] = [];
        for (const draftId of store.staleDrafts(cutoff)) {
          for (const p of store.draftPageRefs(draftId)) if (store.deletePage(p.id, p.sha256)) gone.push(p.sha256);
        }
        return { pruned: shas, unused: gone };
      });
      for (const sha of [...pruned, ...unused]) files.remove(sha);
      return [...pruned, ...unused];
    },
  };
}
export type AttachmentService = ReturnType<typeof createAttachmentService>;
