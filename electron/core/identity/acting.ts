import { AsyncLocalStorage } from 'node:async_hooks';
import type { Caller } from '../api/caller';

/**
 * The caller of the contract call being handled, for writes deep in a service that record who made
 * them (outbox rows, audit rows) without every service passing the caller down to every store.
 */
const current = new AsyncLocalStorage<Caller>();

export const runAs = <T>(caller: Caller, fn: () => T): T => current.run(caller, fn);

/** The person making the current call; null for a device acting alone or work no call started (a timer). */
export const actingStaffId = (): string | null => current.getStore()?.person?.staffId ?? null;
