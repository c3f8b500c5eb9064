import { watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import { ConsoleApiError } from '../../api/console-api-error';
import { useOfficeStore } from '../../stores/office';
import { useOfficeText } from './use-office-text';

/**
 * What the briefings and the files lists share: load again whenever another leader is chosen, and withdraw an item
 * after the person confirms. A 409 means someone else changed the item meanwhile, so the list is loaded again to
 * show what central now holds.
 */
export function useWithdrawal<T>(options: {
  section: 'briefings' | 'files';
  load: () => Promise<void>;
  withdraw: (item: T) => Promise<void>;
  /** The words the confirmation names the item with ({ title } or { name }). */
  named: (item: T) => Record<string, string>;
}) {
  const { t } = useI18n();
  const store = useOfficeStore();
  const { refusal } = useOfficeText();
  const key = (word: string) => `office.${options.section}.${word}`;

  watch(
    () => store.staffId,
    () => void options.load(),
    { immediate: true },
  );

  async function withdraw(item: T) {
    try {
      await ElMessageBox.confirm(t(key('withdrawConfirm'), options.named(item)), t(key('withdrawTitle')), {
        type: 'warning',
        confirmButtonText: t(key('withdraw')),
        cancelButtonText: t(key('keep')),
      });
    } catch {
      return;
    }
    try {
      await options.withdraw(item);
      ElMessage.success(t(key('withdrawDone')));
    } catch (e) {
      ElMessage.error(refusal(e));
      if (e instanceof ConsoleApiError && e.status === 409) void options.load();
    }
  }

  return { withdraw };
}
