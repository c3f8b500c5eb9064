import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Page } from '@shared/attachments/attachments';
import { newMutationId } from '../api/mutation-id';
import type { Notice } from './counter';
import { describeIntakeError } from './refusal-notice';
import { useSessionStore } from './session';

/**
 * The scanned pages of the intake on screen, per material, before acceptance: a draft id made for each
 * intake form, which `case.intake` then binds to the case it creates.
 */
export const useAttachmentsStore = defineStore('attachments', () => {
  const session = useSessionStore();
  const draftId = ref(newMutationId());
  const pages = ref<Page[]>([]);
  const thumbnails = ref<Record<string, string>>({});
  const busy = ref(false);
  const error = ref<Notice | null>(null);

  const pagesOf = (materialId: string) =>
    computed(() => pages.value.filter((p) => p.materialId === materialId).sort((a, b) => a.position - b.position));

  async function guarded<T>(fn: () => Promise<T>): Promise<T | undefined> {
    busy.value = true;
    error.value = null;
    try {
      return await fn();
    } catch (e) {
      error.value = describeIntakeError(e);
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  async function thumbnail(p: Page) {
    if (thumbnails.value[p.id] || p.mime === 'application/pdf') return;
    const content = await session.api().call('attachment.page.read', { pageId: p.id });
    thumbnails.value = { ...thumbnails.value, [p.id]: `data:${content.mime};base64,${content.dataBase64}` };
  }

  const base64Of = (file: Blob) =>
    new Promise<string>((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
      r.onerror = () => reject(r.error);
      r.readAsDataURL(file);
    });

  /**
   * Imports a file, or a document camera's still, as the material's next page; the core checks its bytes
   * (type, size) and says why not.
   */
  async function importFile(materialId: string, file: Blob) {
    await guarded(async () => {
      const page = await session
        .api()
        .call('attachment.page.add', { draftId: draftId.value, materialId, dataBase64: await base64Of(file) });
      pages.value = await session.api().call('attachment.page.list', { draftId: draftId.value });
      await thumbnail(page);
    });
  }

  async function move(materialId: string, pageId: string, by: -1 | 1) {
    const order = pagesOf(materialId).value.map((p) => p.id);
    const at = order.indexOf(pageId);
    const to = at + by;
    if (at < 0 || to < 0 || to >= order.length) return;
    [order[at], order[to]] = [order[to]!, order[at]!];
    await guarded(async () => {
      pages.value = await session
        .api()
        .call('attachment.page.reorder', { draftId: draftId.value, materialId, pageIds: order });
    });
  }

  async function remove(pageId: string) {
    await guarded(async () => {
      pages.value = await session.api().call('attachment.page.delete', { draftId: draftId.value, pageId });
    });
  }

  /** A new intake form: the pages of the last one stay with its case (or, never accepted, on this PC). */
  function startOver() {
    draftId.value = newMutationId();
    pages.value = [];
    thumbnails.value = {};
    error.value = null;
  }

  return { draftId, pages, thumbnails, busy, error, pagesOf, importFile, move, remove, startOver };
});
