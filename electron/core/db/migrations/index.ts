import type { Migration } from '../migration';
import { hallProfile } from './001-hall-profile';

/** The device database's schema history, oldest first. Never edit a released step; add a new one. */
export const deviceMigrations: readonly Migration[] = [hallProfile];
