import type { AuditVerification } from '@shared/api';
import { createLeaderActions } from '../leader/actions';
import { createLeaderContentImport } from '../leader/content-import';
import { createLeaderEnrolment } from '../leader/enrolment';
import { createPaneCore, type LeaderPaneDeps } from '../leader/pane-core';
import { createLeaderReading } from '../leader/reading';
import { createLeaderSessions } from '../leader/sign-in';

/**
 * The leader secure pane: accounts (an X25519 key pair whose private key only the password's scrypt key
 * unwraps, + TOTP), sessions bound to one window or page that lock after idling, content sealed to the
 * leader's public key (so it arrives while the pane is locked and opens only after sign-in), actions for
 * central (their 批示 sealed for central's key), and the hash-chained audit log. The `leader` role only
 * reaches these methods; this service adds the second factor on top.
 */
export function createLeaderService(deps: LeaderPaneDeps) {
  const core = createPaneCore(deps);
  const sessions = createLeaderSessions(core);
  const { auditChain } = core;
  return {
    ...sessions.service,
    ...createLeaderReading(core, sessions),
    ...createLeaderActions(core, sessions),
    ...createLeaderEnrolment(core),
    ...createLeaderContentImport(core),
    /** Rewritten rows (even with their hashes recomputed), missing rows and a cut-off end all fail. */
    verifyAudit: (): AuditVerification => auditChain.verify(),
    /** What the next push anchors at central. */
    auditHead: () => auditChain.head(),
  };
}
export type LeaderService = ReturnType<typeof createLeaderService>;
