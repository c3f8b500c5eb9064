/**
 * A paired rating screen's token (from `rating.pair`): its identity from then on. A browser page sends it
 * as its bearer; an Electron window presents it once (`rating.screen`) to bind itself. Kept apart from
 * other roles' device tokens so no other page of this origin picks it up as its own.
 */
export const SCREEN_TOKEN_KEY = 'onewindow.rateScreenToken';

export function readScreenToken(): string | null {
  try {
    return window.localStorage.getItem(SCREEN_TOKEN_KEY);
  } catch {
    return null;
  }
}
export function keepScreenToken(token: string | null): void {
  if (token) window.localStorage.setItem(SCREEN_TOKEN_KEY, token);
  else window.localStorage.removeItem(SCREEN_TOKEN_KEY);
}
