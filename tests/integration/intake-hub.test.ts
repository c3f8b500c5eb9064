import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { Case, CounterView, IssuedTicket } from '@shared/api';
import { deviceConfigSchema } from '@shared/config';
import { createCore, type Core } from '../../electron/core/app/create-core';
import { DATABASE_FILE_NAME } from '../../electron/core/config/paths';
import { startHubProcess } from '../fixtures/hub-process';
import { residentId } from '../fixtures/intake-core';
import { tempDir } from '../fixtures/temp-dir';

/**
 * A counter device whose queue lives on the hall hub: the intake is written to the device's own database,
 * with the ticket and the counter asked from the hub before the transaction.
 */
describe('intake on a counter device served by the hub', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  let device: Core;
  const tmp = tempDir('ow-counter-');
  const clerk = { role: 'counter' as const, transport: 'ipc' as const, origin: 'window-counter-1' };

  beforeAll(async () => {
    hub = await startHubProcess();
    fs.writeFileSync(path.join(tmp.dir, 'hub.token'), hub.tokens.counter);
    const config = deviceConfigSchema.parse({
      hall: { code: 'HUB01', name: '测试大厅' },
      deviceCode: 'C7',
      roles: ['counter'],
      demo: true,
      hub: { url: hub.url, tokenFile: 'hub.token' },
    });
    device = await createCore({ dataDir: tmp.dir, config, appVersion: 'test' });
  }, 120_000);
  afterAll(async () => {
    device.close();
    await hub.stop();
    tmp.remove();
  });

  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const r = await device.dispatch(clerk, method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };

  it('takes the ticket number, counter and clerk from the hub and keeps the case locally', async () => {
    await call<CounterView>('queue.counter.signIn', { counterId: 'w2', login: 'clerk02', pin: '123456' });
    const issued = (
      await hub.call(hub.tokens.kiosks[0]!, 'queue.ticket.issue', {
        mutationId: hub.mutationId(),
        queueId: 'general',
        applicantType: 'person',
      })
    ).value as IssuedTicket;
    await call('queue.callTicket', { mutationId: hub.mutationId(), counterId: 'w2', ticketId: issued.ticket.id });
    const applicant = await call<{ id: string }>('applicant.register', {
      mutationId: hub.mutationId(),
      applicant: {
        kind: 'person',
        name: '钱七',
        idType: 'resident_id',
        idNumber: residentId('35010219800101123'),
        phone: '13800138000',
      },
    });
    const c = await call<Case>('case.intake', {
      mutationId: hub.mutationId(),
      counterId: 'w2',
      ticketId: issued.ticket.id,
      applicantId: applicant.id,
      matterCode: 'TAX-003',
      materials: [{ materialId: 'id-card', status: 'received' }],
      outcome: 'accept',
    });
    expect(c).toMatchObject({
      ticketNumber: issued.ticket.number,
      counterNumber: 2,
      clerkName: '李强',
      state: 'dispatched',
    });
    expect(c.caseNumber).toMatch(/^HUB01-\d{8}-C7-0001$/);
    // The hub knows nothing of it: cases are the counter device's own.
    const hubDb = new Database(path.join(hub.dataDir, DATABASE_FILE_NAME), { readonly: true });
    expect(hubDb.prepare('SELECT count(*) FROM cases').pluck().get()).toBe(0);
    hubDb.close();
    // And a counter PC's token alone reads no cases there: the hub answers it only for the queue.
    expect(await hub.call(hub.tokens.counter, 'case.list', {})).toMatchObject({
      ok: false,
      error: { code: 'SIGN_IN_REQUIRED' },
    });
  });

  it('is refused when the clerk is not signed in at that counter on the hub', async () => {
    const r = await device.dispatch(clerk, 'case.intake', {
      mutationId: hub.mutationId(),
      counterId: 'w3',
      ticketId: null,
      applicantId: '00000000-0000-4000-8000-000000000000',
      matterCode: 'TAX-003',
      materials: [{ materialId: 'id-card', status: 'received' }],
      outcome: 'accept',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { reason: 'NOT_SIGNED_IN' } } });
  });

  it('answers UNAVAILABLE, writing nothing, while the hub is down', async () => {
    await hub.kill('SIGKILL');
    const r = await device.dispatch(clerk, 'rating.request', {
      mutationId: hub.mutationId(),
      counterId: 'w2',
      ticketId: crypto.randomUUID(),
      caseIds: [],
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    await hub.start();
  });
});
