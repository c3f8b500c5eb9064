import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import type { MethodName, Role } from '@shared/api';
import type { ApiCallError } from '../api/api-call-error';
import { createApiClient, type ApiClient } from '../api/client';
import { createHttpTransport } from '../api/http-transport';
import { createIpcTransport } from '../api/ipc-transport';
import type { ConnectionState } from '../api/transport';

/** The role this page plays and its connection to the core (IPC inside Electron, HTTP otherwise). */
export const useSessionStore = defineStore('session', () => {
  const role = ref<Role | null>(null);
  const connection = ref<ConnectionState>('connecting');
  const client = shallowRef<ApiClient | null>(null);
  let stopWatching: (() => void) | undefined;
  const refusalListeners = new Set<(e: ApiCallError, method: MethodName) => void>();

  /** Hears every refused call of this page, whichever client made it (the identity store listens). */
  function onRefusal(listener: (e: ApiCallError, method: MethodName) => void): () => void {
    refusalListeners.add(listener);
    return () => refusalListeners.delete(listener);
  }

  /** Inside Electron the window's role is fixed by its preload; pages of other roles are not reachable. */
  const fixedRole = (): Role | null => window.onewindow?.role ?? null;

  function use(next: Role): ApiClient {
    if (client.value && role.value === next) return client.value;
    stopWatching?.();
    client.value?.close();
    const bridge = window.onewindow;
    const transport = bridge ? createIpcTransport(bridge) : createHttpTransport(next);
    const created = markRaw(
      createApiClient(transport, (e, method) => {
        for (const l of refusalListeners) l(e, method);
      }),
    );
    role.value = next;
    client.value = created;
    stopWatching = created.onConnection((state) => (connection.value = state));
    return created;
  }

  function api(): ApiClient {
    if (!client.value) throw new Error('no role chosen yet');
    return client.value;
  }

  return { role, connection, client, fixedRole, use, api, onRefusal };
});
