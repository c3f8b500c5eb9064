import {
  AppError,
  authorize,
  contract,
  describeIssues,
  err,
  isMethodName,
  ok,
  type MethodName,
  type MethodOutput,
  type ParsedInput,
  type Result,
} from '@shared/api';
import type { Person } from '@shared/identity/staff';
import { runAs } from '../identity/acting';
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

export interface DispatchOptions {
  log?: DispatchLog;
  /**
   * Who is signed in on the caller's session (the core's identity sessions); with the reason a session
   * lost its person, so the page can say it. Absent: nobody ever is (only device roles get anywhere).
   */
  identity?: {
    personOf(caller: Caller, method: MethodName): Person | undefined;
    /**
     * The person a delegated hall device says it acts for, as this device's accounts know them, if this
     * device signed them in from that device.
     */
    personById(staffId: string, caller: Caller): Person | undefined;
    endedReason(caller: Caller): string | undefined;
  };
  /**
   * Calls served by another process (the hall hub): checked here like any other, then handed over with
   * their input as the page sent it. Local handlers of these methods are never run.
   */
  remote?: { handles(method: MethodName): boolean; call: Dispatch };
  /** The methods whose handlers run in a group commit (api/commit-group.ts): synchronous local commands. */
  commitGroup?: { grouped(method: MethodName): boolean; run<T>(fn: () => T): Promise<T> };
  /** Told of every call that passed the access check, with its outcome (the audit of admin writes). */
  onResult?(caller: Caller, method: MethodName, input: unknown, result: Result<unknown>): void;
}

/**
 * The one place a call is checked, whatever its transport and wherever it is served: known method,
 * window role, then the signed-in person's staff role (or the device's binding), then valid input; then
 * the handler runs as that caller and its output is checked against the contract, so nothing undeclared leaks.
 */
export function createDispatcher(handlers: Handlers, opts: DispatchOptions = {}): Dispatch {
  const { log } = opts;
  return async (transportCaller, method, input) => {
    if (!isMethodName(method)) return err('UNKNOWN_METHOD', `unknown method "${method}"`);
    const def = contract[method];
    // Only the identity sessions say who is signed in: a caller object never brings its own person.
    const device = transportCaller.device;
    const person = device
      ? device.delegated && device.actingStaffId
        ? opts.identity?.personById(device.actingStaffId, transportCaller)
        : undefined
      : opts.identity?.personOf(transportCaller, method);
    const caller: Caller = { ...transportCaller, person };
    const refusal = authorize(method, {
      role: caller.role,
      staffRoles: person?.roles ?? null,
      bound: caller.device !== undefined,
      delegated: caller.device?.delegated ?? false,
    });
    if (refusal) {
      const ended = refusal.code === 'SIGN_IN_REQUIRED' ? opts.identity?.endedReason(caller) : undefined;
      return err(refusal.code, refusal.message, { reason: refusal.reason, ...(ended ? { ended } : {}) });
    }
    const parsed = def.input.safeParse(input);
    if (!parsed.success) {
      return err('INVALID_INPUT', `invalid input for "${method}"`, { issues: describeIssues(parsed.error) });
    }
    const result = opts.remote?.handles(method)
      ? await opts.remote.call(caller, method, input)
      : await run(method, parsed.data, caller);
    try {
      opts.onResult?.(caller, method, parsed.data, result);
    } catch (e) {
      log?.error({ method, err: e }, 'recording the call failed');
    }
    return result;
  };

  async function run(method: MethodName, input: unknown, caller: Caller): Promise<Result<unknown>> {
    const def = contract[method];
    try {
      const handler = handlers[method] as (input: unknown, caller: Caller) => unknown;
      const call = () => runAs(caller, () => handler(input, caller));
      const value = opts.commitGroup?.grouped(method) ? await opts.commitGroup.run(call) : await call();
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
  }
}
