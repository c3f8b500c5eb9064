import type { Migration } from '../migration';
import { hallProfile } from './001-hall-profile';
import { hallQueue } from './002-queue';
import { outbox } from './003-outbox';
import { intake } from './004-intake';
import { counterSessions } from './005-counter-sessions';
import { ticketParentIndex } from './006-ticket-parent-index';
import { hallNameEn } from './007-hall-name-en';
import { staffAccounts } from './008-staff-accounts';
import { ratingTokens } from './009-rating-tokens';
import { casework } from './010-casework';
import { matterSearch } from './011-matter-search';
import { displaySettings } from './012-display-settings';
import { enrolmentTrackingUrl } from './013-enrolment-tracking-url';
import { matterWording } from './014-matter-wording';
import { enrolmentZone } from './015-enrolment-zone';
import { ticketHolder } from './016-ticket-holder';
import { attachments } from './017-attachments';
import { checkInAttempts } from './018-check-in-attempts';
import { caseWording } from './019-case-wording';
import { ticketSms } from './020-ticket-sms';
import { centralPin } from './021-central-pin';
import { callOrderIndex } from './022-call-order-index';
import { commandLogWithoutRowid } from './023-command-log-without-rowid';
import { retryAndResendStorage } from './024-retry-and-resend-storage';
import { queueDayCounts } from './025-queue-day-counts';
import { packedKeys } from './026-packed-keys';
import { packedTicketHistory } from './027-packed-ticket-history';
import { commandMethodCodes } from './028-command-method-codes';

/** The device database's schema history, oldest first. Never edit a released step; add a new one. */
export const deviceMigrations: readonly Migration[] = [
  hallProfile,
  hallQueue,
  outbox,
  intake,
  counterSessions,
  ticketParentIndex,
  hallNameEn,
  staffAccounts,
  ratingTokens,
  casework,
  matterSearch,
  displaySettings,
  enrolmentTrackingUrl,
  matterWording,
  enrolmentZone,
  ticketHolder,
  attachments,
  checkInAttempts,
  caseWording,
  ticketSms,
  centralPin,
  callOrderIndex,
  commandLogWithoutRowid,
  retryAndResendStorage,
  queueDayCounts,
  packedKeys,
  packedTicketHistory,
  commandMethodCodes,
];
