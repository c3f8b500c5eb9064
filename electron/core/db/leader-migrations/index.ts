import type { Migration } from '../migration';
import { leaderStore } from './001-leader-store';
import { recordSource } from './002-record-source';
import { sealedToLeader } from './003-sealed-to-leader';

/** The leader store's (leader.sqlite) own schema history, apart from the device database's. */
export const leaderMigrations: readonly Migration[] = [leaderStore, recordSource, sealedToLeader];
