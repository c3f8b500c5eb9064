import type { ContextBridge, IpcRenderer } from 'electron';
import { methodsForRole } from '@shared/api/access';
import type { PrintRequest, Result, RoleBridge } from '@shared/api';
import { IPC } from '@shared/api/ipc';
import type { Role } from '@shared/api/roles';

export function buildRoleBridge(role: Role, ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): RoleBridge {
  const methods = Object.fromEntries(
    methodsForRole(role).map((name) => [
      name,
      (input: unknown) => ipc.invoke(IPC.call, name, input) as Promise<Result<unknown>>,
    ]),
  );
  return {
    role,
    methods,
    print: (request: PrintRequest) => ipc.invoke(IPC.print, request) as Promise<Result<null>>,
    onEvent(listener) {
      // The IPC event object is not passed on: it would hand the page a way back into Electron.
      const wrapped = (_event: unknown, name: string, payload: unknown) => listener(name, payload);
      ipc.on(IPC.event, wrapped);
      return () => ipc.removeListener(IPC.event, wrapped);
    },
  };
}

export function exposeRoleBridge(role: Role, bridge: ContextBridge, ipc: IpcRenderer): void {
  bridge.exposeInMainWorld('onewindow', buildRoleBridge(role, ipc));
}
