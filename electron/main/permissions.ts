import type { Role } from '@shared/api';
import { isAppUrl } from './app-protocol-url';

/** What Electron tells about a permission request or check, reduced to what the decision needs. */
export interface PermissionAsk {
  /** `details.mediaTypes` of a request, `[details.mediaType]` of a check; empty when Electron gives none. */
  mediaTypes: readonly string[];
  /** The page (request) or origin (check) that asks. */
  url: string;
}

/**
 * The one permission any window gets: the counter's document camera (高拍仪) for scanning materials at
 * intake, video only and only for our own pages. The microphone, screen capture and every other
 * permission stay denied everywhere; a session shared by several roles gets nothing, so the counter must
 * have a session of its own.
 */
export function permissionAllowed(roles: readonly Role[], permission: string, ask: PermissionAsk): boolean {
  return (
    permission === 'media' &&
    roles.length > 0 &&
    roles.every((r) => r === 'counter') &&
    ask.mediaTypes.length > 0 &&
    ask.mediaTypes.every((t) => t === 'video') &&
    isAppUrl(ask.url)
  );
}
