import type { z } from 'zod';

/** A contract method: its input and output schemas. Who may call it is in `access.ts`. */
export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  description: string;
  input: I;
  output: O;
  /**
   * Largest input, as JSON bytes, every transport lets through for this method, for the few that carry
   * files; all others are held to MAX_BODY_BYTES.
   */
  maxInputBytes?: number;
}

export const defineMethod = <I extends z.ZodType, O extends z.ZodType>(def: MethodDef<I, O>) => def;

/** A contract event pushed to windows and sockets. Who receives it is in `access.ts`. */
export interface EventDef<P extends z.ZodType = z.ZodType> {
  description: string;
  payload: P;
}

export const defineEvent = <P extends z.ZodType>(def: EventDef<P>) => def;
