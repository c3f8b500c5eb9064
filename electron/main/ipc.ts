import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { IPC, err, inputLimitOf, type Result, type Role } from '@shared/api';
import type { Dispatch } from '../core/api/dispatch';

export interface IpcDeps {
  dispatch: Dispatch;
  /** The role of the window that owns this webContents, if it is one of ours. */
  roleOf(webContentsId: number): Role | undefined;
  /**
   * The session a window's calls belong to: its own, except a hidden print window, which acts for the
   * window that asked it to print (the person signed in there).
   */
  originOf(webContentsId: number): string;
  /** Pages that may talk to the core: our own app:// origin, main frames only. */
  isTrustedFrameUrl(url: string): boolean;
}

function sizeOf(input: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(input) ?? '');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * Mounts the contract on one IPC channel. The caller's role comes from the window that sent the call,
 * never from the message, and only our own top-level pages are answered.
 */
export function registerContractIpc(ipcMain: Pick<IpcMain, 'handle'>, deps: IpcDeps): void {
  ipcMain.handle(
    IPC.call,
    async (event: IpcMainInvokeEvent, method: unknown, input: unknown): Promise<Result<unknown>> => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !deps.isTrustedFrameUrl(frame.url)) {
        return err('UNAUTHENTICATED', 'calls are accepted only from OneWindow pages');
      }
      const role = deps.roleOf(event.sender.id);
      if (!role) return err('UNAUTHENTICATED', 'this window has no role');
      if (typeof method !== 'string') return err('INVALID_INPUT', 'method name must be a string');
      const limit = inputLimitOf(method);
      if (sizeOf(input) > limit) return err('PAYLOAD_TOO_LARGE', `input exceeds ${limit} bytes`);
      return deps.dispatch({ role, transport: 'ipc', origin: deps.originOf(event.sender.id) }, method, input);
    },
  );
}
