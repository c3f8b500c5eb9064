import type { z } from 'zod';
import type { EventDef, MethodDef } from './define';
import { attachmentMethods } from './methods/attachments';
import { feedbackEvents, feedbackMethods } from './methods/feedback';
import { hallEvents, hallMethods } from './methods/hall';
import { identityMethods } from './methods/identity';
import { idCardMethods } from './methods/idcard';
import { insightMethods } from './methods/insight';
import { intakeEvents, intakeMethods } from './methods/intake';
import { leaderMethods } from './methods/leader';
import { queueEvents, queueMethods } from './methods/queue';
import { centralAdminMethods } from './methods/central-admin';
import { syncMethods } from './methods/sync';
import { systemMethods } from './methods/system';
import { MAX_BODY_BYTES } from './wire';

/** Every method any transport (IPC, HTTP, WebSocket) serves. Adding a method here is the only way to expose one. */
export const contract = {
  ...systemMethods,
  ...identityMethods,
  ...hallMethods,
  ...queueMethods,
  ...intakeMethods,
  ...attachmentMethods,
  ...feedbackMethods,
  ...leaderMethods,
  ...syncMethods,
  ...centralAdminMethods,
  ...insightMethods,
  ...idCardMethods,
} satisfies Record<string, MethodDef>;

/** Every event pushed to windows (IPC) and sessions (WebSocket). */
export const events = {
  ...hallEvents,
  ...queueEvents,
  ...intakeEvents,
  ...feedbackEvents,
} satisfies Record<string, EventDef>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]['payload']>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** Largest input (JSON bytes) a method accepts on any transport: its own limit, else MAX_BODY_BYTES. */
export function inputLimitOf(method: string): number {
  const def: MethodDef | undefined = isMethodName(method) ? contract[method] : undefined;
  return def?.maxInputBytes ?? MAX_BODY_BYTES;
}

/** The largest input any method accepts: what a transport must read before it can tell which method it is. */
export const MAX_INPUT_BYTES = Math.max(
  MAX_BODY_BYTES,
  ...Object.values(contract).map((m: MethodDef) => m.maxInputBytes ?? 0),
);
