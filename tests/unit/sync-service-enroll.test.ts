import { describe, expect, it } from 'vitest';
import { AppError, type SyncStatus } from '@shared/api';
import { syncMethods } from '@shared/api/methods/sync';
import { createSyncService } from '../../electron/core/services/sync-service';
import { SyncError } from '../../electron/core/sync/central-client';
import type { SyncEngine } from '../../electron/core/sync/sync-engine';

const status = { pendingCount: 3, enrolled: true } as SyncStatus;

function service(enroll: SyncEngine['enroll']) {
  const calls: unknown[] = [];
  const engine = {
    enroll: (...args: Parameters<SyncEngine['enroll']>) => (calls.push(args), enroll(...args)),
    status: () => status,
    start: () => undefined,
  } as unknown as SyncEngine;
  return { sync: createSyncService(engine), calls };
}

describe('sync.enroll over the contract', () => {
  it('defaults force to false and passes it on', () => {
    const input = syncMethods['sync.enroll'].input.parse({ centralUrl: 'http://c', code: 'abcd-efgh-jkmn' });
    expect(input).toEqual({ centralUrl: 'http://c', code: 'ABCD-EFGH-JKMN', force: false });
  });

  it('answers pending rows of the old enrolment with CONFLICT, the reason and how many', async () => {
    const { sync } = service(async () => {
      throw new SyncError('PENDING_ROWS', '3 changes of the current enrolment are not at central yet');
    });
    const refused = await sync.enroll({ centralUrl: 'http://c', code: 'X', force: false }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'CONFLICT', details: { reason: 'PENDING_ROWS', pending: 3 } });
  });

  it('reports how many pending rows a forced move to another hall dropped', async () => {
    const { sync, calls } = service(async () => ({ status, dropped: 3 }));
    const answer = await sync.enroll({ centralUrl: 'http://c', code: 'X', force: true });
    expect(calls).toEqual([['http://c', 'X', { force: true }]]);
    expect(syncMethods['sync.enroll'].output.parse({ ...blankStatus, ...answer })).toMatchObject({ dropped: 3 });
  });
});

const blankStatus: SyncStatus = {
  enrolled: true,
  centralUrl: 'http://c',
  hallCode: 'H',
  deviceId: null,
  replicaId: null,
  pendingCount: 0,
  lastAttemptAt: null,
  lastSuccessAt: null,
  lastError: null,
  lastErrorAt: null,
  running: true,
};
