import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '@shared/api';
import { ApiCallError } from './api-call-error';
import type { ConnectionState, Transport } from './transport';

/** Typed access to the contract: `call` resolves with the method's output or throws ApiCallError. */
export function createApiClient(transport: Transport) {
  return {
    transport: transport.kind,
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      const result = await transport.call(method, input);
      if (!result.ok) throw new ApiCallError(result.error);
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
