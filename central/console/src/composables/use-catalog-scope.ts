import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { useDirectoryStore } from '../stores/directory';
import { useSessionStore } from '../stores/session';

/**
 * Where a catalog or calendar row applies, as the pages offer it: every hall (`global`, central's) or one of
 * the person's halls. Every hall's rows are read by all and written by central administrators only.
 */
export function useCatalogScope() {
  const { t } = useI18n();
  const session = useSessionStore();
  const directory = useDirectoryStore();
  const isCentral = computed(() => session.roles.includes('central_admin'));
  const options = computed(() => [
    { value: 'global', label: t('catalog.scope.global') },
    ...directory.directory.halls.map((h) => ({ value: h.id, label: h.name })),
  ]);
  /** A central administrator starts at every hall's rows; a hall administrator at their hall's. */
  const home = computed(() => (isCentral.value ? 'global' : (session.person?.hallIds[0] ?? 'global')));
  const mayWrite = (scope: string) =>
    isCentral.value || (scope !== 'global' && (session.person?.hallIds ?? []).includes(scope));
  const scopeName = (hallId: string | null) =>
    hallId === null
      ? t('catalog.scope.global')
      : (directory.directory.halls.find((h) => h.id === hallId)?.name ?? hallId);
  /** The hallId of a write for a scope. */
  const hallOf = (scope: string) => (scope === 'global' ? null : scope);
  return { isCentral, options, home, mayWrite, scopeName, hallOf };
}
