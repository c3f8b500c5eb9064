import type { Result } from './result';
import type { Role } from './roles';

/**
 * What a role's preload exposes as `window.onewindow`: only that role's methods, by name, and the
 * events that role receives. The renderer uses it when present and falls back to HTTP/WebSocket.
 */
export interface RoleBridge {
  role: Role;
  methods: Record<string, (input: unknown) => Promise<Result<unknown>>>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  /**
   * Prints one of the app's print pages silently on the device's printer (Electron only). `route` is a
   * hash route under `/print/`, e.g. `/print/ticket/<id>`; `widthMm` the paper width (80 for tickets).
   */
  print?(request: PrintRequest): Promise<Result<null>>;
}

export interface PrintRequest {
  route: string;
  widthMm: number;
}
