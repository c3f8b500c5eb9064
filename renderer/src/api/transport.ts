import type { Result } from '@shared/api';

export type ConnectionState = 'connecting' | 'online' | 'offline';

/** How the renderer reaches the core: Electron IPC through the preload, or HTTP/WebSocket to a host. */
export interface Transport {
  kind: 'ipc' | 'http';
  call(method: string, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  /** Called with every change of the live connection; 'online' after a reconnect means "re-fetch". */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}
