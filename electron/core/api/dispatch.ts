import {
  AppError,
  contract,
  describeIssues,
  err,
  isMethodName,
  mayCall,
  ok,
  type MethodName,
  type MethodOutput,
  type ParsedInput,
  type Result,
} from '@shared/api';
import type { Caller } from './caller';

export type Handler<M extends MethodName> = (
  input: ParsedInput<M>,
  caller: Caller,
) => MethodOutput<M> | Promise<MethodOutput<M>>;
export type Handlers = { [M in MethodName]: Handler<M> };

export type Dispatch = (caller: Caller, method: string, input: unknown) => Promise<Result<unknown>>;

export interface DispatchLog {
  error(obj: object, msg: string): void;
}

/**
 * The one place a call is checked, whatever its transport: known method, allowed role, valid input;
 * then the handler runs and its output is checked against the contract, so nothing undeclared leaks.
 */
export function createDispatcher(handlers: Handlers, log?: DispatchLog): Dispatch {
  return async (caller, method, input) => {
    if (!isMethodName(method)) return err('UNKNOWN_METHOD', `unknown method "${method}"`);
    const def = contract[method];
    if (!mayCall(caller.role, method)) {
      return err('FORBIDDEN', `role "${caller.role}" may not call "${method}"`);
    }
    const parsed = def.input.safeParse(input);
    if (!parsed.success) {
      return err('INVALID_INPUT', `invalid input for "${method}"`, { issues: describeIssues(parsed.error) });
    }
    try {
      const handler = handlers[method] as (input: unknown, caller: Caller) => unknown;
      const value = await handler(parsed.data, caller);
      const checked = def.output.safeParse(value);
      if (!checked.success) {
        log?.error({ method, issues: describeIssues(checked.error) }, 'handler output broke the contract');
        return err('INTERNAL', `"${method}" produced an invalid result`);
      }
      return ok(checked.data);
    } catch (e) {
      if (e instanceof AppError) return err(e.code, e.message, e.details);
      // The transaction was rolled back; the device can do nothing until disk space is freed, then the
      // same call (same mutation id) succeeds.
      if ((e as { code?: unknown }).code === 'SQLITE_FULL') {
        return err('UNAVAILABLE', 'the device disk is full', { reason: 'DISK_FULL' });
      }
      log?.error({ method, err: e }, 'handler failed');
      return err('INTERNAL', `"${method}" failed unexpectedly`);
    }
  };
}
