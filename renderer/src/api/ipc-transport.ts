import { err, type RoleBridge } from '@shared/api';
import type { Transport } from './transport';

/** Calls go through the role's preload; a method the preload does not expose is refused here already. */
export function createIpcTransport(bridge: RoleBridge): Transport {
  return {
    kind: 'ipc',
    async call(method, input) {
      const fn = bridge.methods[method];
      if (!fn) return err('FORBIDDEN', `role "${bridge.role}" may not call "${method}"`);
      return fn(input);
    },
    onEvent: (listener) => bridge.onEvent(listener),
    onConnection(listener) {
      listener('online');
      return () => undefined;
    },
    close: () => undefined,
  };
}
