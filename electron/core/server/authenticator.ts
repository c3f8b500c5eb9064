import crypto from 'node:crypto';
import { PERSON_ROLES, type Role } from '@shared/api';
import type { DeviceBinding } from '../api/caller';

export interface Session {
  role: Role;
  /** Identifies the session or device in logs, never the secret token. */
  id: string;
  /** Present for a device token (a hub's LAN device, a paired rating screen). */
  device?: DeviceBinding;
}

/** Maps a bearer token to who holds it. The hall hub uses device tokens; the browser host, local sessions. */
export interface Authenticator {
  authenticate(token: string): Session | undefined;
  /** Present only where a page may open its own session (the browser host on loopback). */
  openSession?(role: Role): { token: string; session: Session };
  /** Present where tokens can stop being valid while a socket is open: called after each change. */
  onChange?(listener: () => void): () => void;
}

/**
 * Sessions for the browser host. A page served from 127.0.0.1 may open a session for a public device
 * role (by default kiosk and display), for a person's role (counter, admin, leader: the session can do
 * nothing but sign in until a person does, see METHOD_STAFF) and for a rating screen (nothing but pair).
 * Tokens are random, kept in memory (the newest `maxSessions`), and die with the process. Device tokens
 * that outlive it (a paired rating screen) are answered by `devices`.
 */
export function createLocalSessionAuthenticator(
  publicRoles: readonly Role[],
  opts: { devices?: (token: string) => Session | undefined; maxSessions?: number } = {},
): Authenticator {
  const maxSessions = opts.maxSessions ?? 1000;
  const sessions = new Map<string, Session>();
  const opens = (role: Role) =>
    publicRoles.includes(role) || (PERSON_ROLES as readonly Role[]).includes(role) || role === 'rate';
  return {
    authenticate: (token) => sessions.get(token) ?? opts.devices?.(token),
    openSession(role) {
      if (!opens(role)) throw new Error(`role ${role} is not served here`);
      const token = crypto.randomBytes(32).toString('base64url');
      const session = { role, id: `web-${role}-${crypto.randomBytes(4).toString('hex')}` };
      sessions.set(token, session);
      // Every page load opens a session; the oldest go first so a long-running host stays bounded.
      if (sessions.size > maxSessions) sessions.delete(sessions.keys().next().value as string);
      return { token, session };
    },
  };
}
