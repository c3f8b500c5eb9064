import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceConfigSchema } from '@shared/config';
import type { Caller } from '../../electron/core/api/caller';
import { createCore, type Core } from '../../electron/core/app/create-core';
import { hashApplicantId, idHashKey } from '../../electron/core/intake/id-hash';
import { tempDir } from '../fixtures/temp-dir';

/**
 * A ticket taken by ID card carries the holder's hash, and an appointment booked for an ID is checked in
 * by it. Were a page able to hand the hub a hash of its choosing, anyone who came by a citizen's hash
 * could check in their appointment or take tickets in their name without their card.
 */
describe('a page cannot name a card holder', () => {
  const tmp = tempDir('ow-idcard-forgery-');
  let core: Core;
  const holderHash = hashApplicantId(idHashKey(undefined), 'resident_id', '110105199003071239');
  const kioskPage: Caller = { role: 'kiosk', transport: 'http', origin: 'browser-session-kiosk' };
  const hubDevice: Caller = {
    role: 'kiosk',
    transport: 'http',
    origin: 'hub-device-kiosk-1',
    device: { id: 'kiosk-1', counterIds: null, delegated: true },
  };
  const tickets = () => {
    const db = new Sqlite(path.join(tmp.dir, 'device.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    const config = deviceConfigSchema.parse({
      hall: { code: 'TEST01', name: '测试大厅' },
      deviceCode: 'H1',
      roles: ['kiosk'],
      demo: true,
    });
    const now = () => new Date('2026-03-02T02:00:00.000Z');
    core = await createCore({ dataDir: tmp.dir, config, appVersion: 'test', now, sync: { autoStart: false } });
  });
  afterAll(() => {
    core.close();
    tmp.remove();
  });

  it('refuses a holder hash from a kiosk page, for a ticket and for a check-in', async () => {
    const issue = { mutationId: crypto.randomUUID(), queueId: 'general', applicantType: 'person', holderHash };
    expect(await core.dispatch(kioskPage, 'idcard.hub.ticket.issue', issue)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { reason: 'DEVICE_ONLY' } },
    });
    const checkIn = { mutationId: crypto.randomUUID(), holderHash };
    expect(await core.dispatch(kioskPage, 'idcard.hub.appointment.checkIn', checkIn)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { reason: 'DEVICE_ONLY' } },
    });
    expect(tickets()).toBe(0);
  });

  it('takes it from a hall device’s core, which read the card on its own reader', async () => {
    const issue = { mutationId: crypto.randomUUID(), queueId: 'general', applicantType: 'person', holderHash };
    expect(await core.dispatch(hubDevice, 'idcard.hub.ticket.issue', issue)).toMatchObject({ ok: true });
    expect(tickets()).toBe(1);
  });
});
