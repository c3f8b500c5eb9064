import { powerMonitor } from 'electron';

/** Whoever walks away from a locked screen or a sleeping laptop leaves the pane locked too. */
export function lockLeaderOnSystemEvents(lockAll: (reason: string) => void): void {
  powerMonitor.on('lock-screen', () => lockAll('screen-lock'));
  powerMonitor.on('suspend', () => lockAll('suspend'));
}
