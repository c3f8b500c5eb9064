import type { Role } from '@shared/api';

/** Who is calling, as established by the transport (window role for IPC, token for HTTP/WebSocket). */
export interface Caller {
  role: Role;
  transport: 'ipc' | 'http' | 'ws';
  /** The window, session or device the call came from, for logs and audit. */
  origin: string;
}
