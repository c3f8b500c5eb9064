import { AppError, type SyncStatus } from '@shared/api';
import type { ApplicantProfile } from '@shared/sync/wire';
import { SyncError } from '../sync/central-client';
import type { SyncEngine } from '../sync/sync-engine';

/** The contract side of sync: enrollment, status, a round on demand, the central applicant lookup. */
export function createSyncService(engine: SyncEngine) {
  return {
    status: (): SyncStatus => engine.status(),
    async enroll(input: {
      centralUrl: string;
      code: string;
      force: boolean;
      pin?: string;
    }): Promise<SyncStatus & { dropped: number }> {
      let dropped: number;
      try {
        ({ dropped } = await engine.enroll(input.centralUrl, input.code, { force: input.force, pin: input.pin }));
      } catch (e) {
        if (!(e instanceof SyncError)) throw e;
        if (e.code === 'ENROLLMENT_CODE_INVALID') throw new AppError('FORBIDDEN', e.message, { reason: e.code });
        if (e.code === 'INSECURE_CENTRAL_URL' || e.code === 'CENTRAL_PIN_REQUIRED') {
          throw new AppError('INVALID_INPUT', e.message, { reason: e.code });
        }
        if (e.code === 'CENTRAL_PIN_MISMATCH') throw new AppError('FORBIDDEN', e.message, { reason: e.code });
        if (e.code === 'DEMO_ID_HASH_KEY') throw new AppError('CONFLICT', e.message, { reason: e.code });
        if (e.code === 'PENDING_ROWS') {
          throw new AppError('CONFLICT', e.message, { reason: e.code, pending: engine.status().pendingCount });
        }
        throw new AppError('UNAVAILABLE', e.message, { reason: e.code });
      }
      engine.start();
      return { ...engine.status(), dropped };
    },
    async now(): Promise<SyncStatus> {
      await engine.runOnce();
      return engine.status();
    },
    /** Central's profile when reachable; otherwise `offline`, and the counter shows its local history. */
    async lookupApplicant(
      idHash: string,
    ): Promise<{ source: 'central'; profile: ApplicantProfile | null } | { source: 'offline'; reason: string }> {
      try {
        const profile = await engine.lookupApplicant(idHash);
        return { source: 'central', profile: profile ?? null };
      } catch (e) {
        if (e instanceof SyncError) return { source: 'offline', reason: e.code };
        throw e;
      }
    },
  };
}
