import crypto from 'node:crypto';
import type { Caller } from '../api/caller';

/**
 * Digits and capitals without 0/O, 1/I/L and U: what a citizen reads off a slip or an SMS keys back the
 * same. 30 symbols, 10 of them: 49 bits, so the five tries a device has each ten minutes find nothing.
 */
export const APPOINTMENT_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const APPOINTMENT_CODE_LENGTH = 10;

export function newAppointmentCode(): string {
  let code = '';
  for (let i = 0; i < APPOINTMENT_CODE_LENGTH; i++) {
    code += APPOINTMENT_CODE_ALPHABET[crypto.randomInt(APPOINTMENT_CODE_ALPHABET.length)];
  }
  return code;
}

/** Wrong codes a device may send within the window before it is refused. */
export const CHECK_IN_MAX_WRONG = 5;
export const CHECK_IN_WINDOW_MS = 10 * 60_000;

/** Where the guard keeps the wrong codes (the queue store: SQLite, so a restart does not reset them). */
export interface WrongCodeLog {
  wrongCodesSince(deviceKey: string, sinceMs: number): number[];
  recordWrongCode(deviceKey: string, atMs: number, pruneBeforeMs: number): void;
}

/**
 * The wrong appointment codes each device sent in the last ten minutes. A device is its token's device
 * when it has one (its sessions share the count), else the window or session it calls from. Kept in the
 * device database: a restart of the hub or the app must not give a kiosk five more tries.
 */
export function createCheckInGuard(log: WrongCodeLog, now: () => Date) {
  const keyOf = (caller: Caller) => (caller.device ? `device:${caller.device.id}` : `origin:${caller.origin}`);
  return {
    /** When the device may try again (an ISO instant), or null when it may now. */
    lockedUntil(caller: Caller): string | null {
      const kept = log.wrongCodesSince(keyOf(caller), now().getTime() - CHECK_IN_WINDOW_MS);
      if (kept.length < CHECK_IN_MAX_WRONG) return null;
      // Up to the minute: the kiosk shows it in minutes, and a citizen who waits until then gets in.
      return new Date(Math.ceil((kept[0]! + CHECK_IN_WINDOW_MS) / 60_000) * 60_000).toISOString();
    },
    /** Records a wrong code; tries of any device older than the window go at the same time. */
    wrongCode(caller: Caller): void {
      const at = now().getTime();
      log.recordWrongCode(keyOf(caller), at, at - CHECK_IN_WINDOW_MS);
    },
  };
}
