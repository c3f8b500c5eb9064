import crypto from 'node:crypto';
import type { Role } from '@shared/api';

export interface Session {
  role: Role;
  /** Identifies the session or device in logs, never the secret token. */
  id: string;
}

/** Maps a bearer token to who holds it. The hall hub uses device tokens; the browser host, local sessions. */
export interface Authenticator {
  authenticate(token: string): Session | undefined;
  /** Present only where a page may open its own session (the browser host on loopback). */
  openSession?(role: Role): { token: string; session: Session };
}

/**
 * Sessions for the browser host: any page served from 127.0.0.1 may open a session for one of the
 * roles this host serves. Tokens are random, kept in memory (the newest `maxSessions`), and die
 * with the process.
 */
export function createLocalSessionAuthenticator(roles: readonly Role[], maxSessions = 1000): Authenticator {
  const sessions = new Map<string, Session>();
  return {
    authenticate: (token) => sessions.get(token),
    openSession(role) {
      if (!roles.includes(role)) throw new Error(`role ${role} is not served here`);
      const token = crypto.randomBytes(32).toString('base64url');
      const session = { role, id: `web-${role}-${crypto.randomBytes(4).toString('hex')}` };
      sessions.set(token, session);
      // Every page load opens a session; the oldest go first so a long-running host stays bounded.
      if (sessions.size > maxSessions) sessions.delete(sessions.keys().next().value as string);
      return { token, session };
    },
  };
}
