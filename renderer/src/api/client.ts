import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '@shared/api';
import { ApiCallError } from './api-call-error';
import type { ConnectionState, Transport } from './transport';

/**
 * Typed access to the contract: `call` resolves with the method's output or throws ApiCallError.
 * `onRefusal` hears every failed call first (the identity store locks the page when its person is gone).
 */
export function createApiClient(transport: Transport, onRefusal?: (e: ApiCallError, method: MethodName) => void) {
  return {
    transport: transport.kind,
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      const result = await transport.call(method, input);
      if (!result.ok) {
        const e = new ApiCallError(result.error);
        onRefusal?.(e, method);
        throw e;
      }
      return result.value as MethodOutput<M>;
    },
    on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
      return transport.onEvent((n, payload) => {
        if (n === name) listener(payload as EventPayload<E>);
      });
    },
    onConnection: (listener: (state: ConnectionState) => void) => transport.onConnection(listener),
    close: () => transport.close(),
  };
}
export type ApiClient = ReturnType<typeof createApiClient>;
