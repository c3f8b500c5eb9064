import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ConsoleDirectory } from '@shared/console/session';
import { consoleApi } from '../api/console-api';

/** The halls and departments this person may see: the filters' choices and the names behind ids. */
export const useDirectoryStore = defineStore('directory', () => {
  const directory = ref<ConsoleDirectory>({ halls: [], departments: [] });
  let loaded: Promise<void> | null = null;
  function load() {
    loaded ??= consoleApi.directory().then(
      (d) => {
        directory.value = d;
      },
      (e: unknown) => {
        loaded = null;
        throw e;
      },
    );
    return loaded;
  }
  /** Another person signed in: their directory is not this one. */
  function reset() {
    loaded = null;
    directory.value = { halls: [], departments: [] };
  }
  const departmentName = (id: string | null) =>
    id ? (directory.value.departments.find((d) => d.id === id)?.nameZh ?? id) : null;
  return { directory, load, reset, departmentName };
});
