import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceConfigSchema } from '@shared/config';
import type { Caller } from '../../electron/core/api/caller';
import { createCore, type Core } from '../../electron/core/app/create-core';
import { hashApplicantId, idHashKey } from '../../electron/core/intake/id-hash';
import { HUB_CLOCK_START, startHubProcess } from '../fixtures/hub-process';
import { tempDir } from '../fixtures/temp-dir';

const TURNS = path.join(__dirname, '../fixtures/idcard/sim-turns.json');
const ZHANG = '110105199003071239';
const holderOf = (id: string) => hashApplicantId(idHashKey(undefined), 'resident_id', id);
const uuid = () => crypto.randomUUID();
const kiosk: Caller = { role: 'kiosk', transport: 'ipc', origin: 'window-kiosk-1' };
/** What lies on the kiosk's simulated reader: one turn, replayed on every read. */
const lay = (dir: string, turn: 'zhang' | 'expired' | 'none') => {
  const turns = JSON.parse(fs.readFileSync(TURNS, 'utf8')) as unknown[];
  const pick = { zhang: turns[0], expired: turns[1], none: { failure: 'NO_CARD' } }[turn];
  fs.writeFileSync(path.join(dir, 'card.json'), JSON.stringify([pick]));
};
const holderHashes = (file: string) => {
  const db = new Sqlite(file, { readonly: true });
  try {
    return db.prepare('SELECT number, appointment_code, holder_hash FROM tickets ORDER BY issued_at').all() as {
      number: string;
      appointment_code: string | null;
      holder_hash: string | null;
    }[];
  } finally {
    db.close();
  }
};

/** A kiosk whose queue is its own (a single-PC hall): the ticket and the check-in by card, in one core. */
describe('kiosk by ID card on a device that keeps its own queue', () => {
  const tmp = tempDir('ow-idcard-kiosk-');
  let core: Core;
  // 10:00 in the hall: the demo queues are open.
  const now = () => new Date('2026-03-02T02:00:00.000Z');
  const admin: Caller = {
    role: 'admin',
    transport: 'http',
    origin: 'hub-device-admin',
    device: { id: 'admin-1', counterIds: null, delegated: true },
  };

  beforeAll(async () => {
    lay(tmp.dir, 'zhang');
    const config = deviceConfigSchema.parse({
      hall: { code: 'TEST01', name: '测试大厅' },
      deviceCode: 'K1',
      roles: ['kiosk'],
      demo: true,
      idCardReader: { kind: 'simulated', file: 'card.json' },
    });
    core = await createCore({ dataDir: tmp.dir, config, appVersion: 'test', now, sync: { autoStart: false } });
  });
  afterAll(() => {
    core.close();
    tmp.remove();
  });

  it('issues a ticket that knows its applicant by the keyed hash of the ID, never the number', async () => {
    const r = await core.dispatch(kiosk, 'idcard.ticket.issue', {
      mutationId: uuid(),
      queueId: 'general',
      applicantType: 'person',
    });
    expect(r).toMatchObject({ ok: true, value: { ticket: { number: 'A001' } } });
    const rows = holderHashes(path.join(tmp.dir, 'device.sqlite'));
    expect(rows).toEqual([{ number: 'A001', appointment_code: null, holder_hash: holderOf(ZHANG) }]);
    const raw = fs.readFileSync(path.join(tmp.dir, 'device.sqlite'));
    expect(raw.includes(Buffer.from(ZHANG))).toBe(false);
  });

  it('checks in the appointment booked for the card’s ID; a card with none is told so', async () => {
    const booked = await core.dispatch(admin, 'queue.admin.appointments.create', {
      queueId: 'general',
      windowStart: '2026-03-02T01:45:00.000Z',
      windowEnd: '2026-03-02T02:30:00.000Z',
      applicantType: 'person',
      idNumber: ZHANG,
    });
    expect(booked.ok).toBe(true);
    const code = (booked as { value: { code: string } }).value.code;
    const mutationId = uuid();
    const r = await core.dispatch(kiosk, 'idcard.appointment.checkIn', { mutationId });
    expect(r).toMatchObject({ ok: true, value: { ticket: { appointmentCode: code } } });
    // The same check-in again (a lost answer) is the same ticket.
    const again = await core.dispatch(kiosk, 'idcard.appointment.checkIn', { mutationId });
    expect(again).toEqual(r);
    const rows = holderHashes(path.join(tmp.dir, 'device.sqlite'));
    expect(rows.at(-1)).toMatchObject({ appointment_code: code, holder_hash: holderOf(ZHANG) });

    // An appointment booked by code keeps working, and its ticket knows the applicant it was booked for.
    const other = await core.dispatch(admin, 'queue.admin.appointments.create', {
      queueId: 'general',
      windowStart: '2026-03-02T01:45:00.000Z',
      windowEnd: '2026-03-02T02:30:00.000Z',
      applicantType: 'person',
      idNumber: '440304198511204567',
    });
    const otherCode = (other as { value: { code: string } }).value.code;
    expect(
      await core.dispatch(kiosk, 'queue.appointment.checkIn', { mutationId: uuid(), code: otherCode }),
    ).toMatchObject({
      ok: true,
    });
    expect(holderHashes(path.join(tmp.dir, 'device.sqlite')).at(-1)).toMatchObject({
      appointment_code: otherCode,
      holder_hash: holderOf('440304198511204567'),
    });

    // 王五's card is expired: refused before any appointment is looked at.
    lay(tmp.dir, 'expired');
    expect(await core.dispatch(kiosk, 'idcard.appointment.checkIn', { mutationId: uuid() })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', details: { reason: 'ID_CARD_EXPIRED', validTo: '2016-01-01' } },
    });
    lay(tmp.dir, 'zhang');
  });

  it('issues nothing without a usable card', async () => {
    const before = holderHashes(path.join(tmp.dir, 'device.sqlite')).length;
    for (const turn of ['none', 'expired'] as const) {
      lay(tmp.dir, turn);
      const r = await core.dispatch(kiosk, 'idcard.ticket.issue', {
        mutationId: uuid(),
        queueId: 'general',
        applicantType: 'person',
      });
      expect(r.ok).toBe(false);
    }
    lay(tmp.dir, 'zhang');
    expect(holderHashes(path.join(tmp.dir, 'device.sqlite'))).toHaveLength(before);
  });

  it('is the kiosk’s: a counter page cannot take a ticket by card, a kiosk page cannot read the card', async () => {
    const counter: Caller = { role: 'counter', transport: 'ipc', origin: 'window-counter-1' };
    const issue = { mutationId: uuid(), queueId: 'general', applicantType: 'person' };
    expect(await core.dispatch(counter, 'idcard.ticket.issue', issue)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await core.dispatch(kiosk, 'idcard.read', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

/** A kiosk served by the hall hub (a separate process): it reads the card, the hub's queue gets only the hash. */
describe('kiosk by ID card through the hall hub', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  let device: Core;
  const tmp = tempDir('ow-idcard-device-');

  beforeAll(async () => {
    hub = await startHubProcess({ kiosks: 1 });
    fs.writeFileSync(path.join(tmp.dir, 'hub.token'), hub.tokens.kiosks[0]!);
    lay(tmp.dir, 'zhang');
    const config = deviceConfigSchema.parse({
      hall: { code: 'HUB01', name: '测试大厅' },
      deviceCode: 'K1',
      roles: ['kiosk'],
      hub: { url: hub.url, tokenFile: 'hub.token' },
      idCardReader: { kind: 'simulated', file: 'card.json' },
    });
    device = await createCore({ dataDir: tmp.dir, config, appVersion: 'test', sync: { autoStart: false } });
  }, 60_000);
  afterAll(async () => {
    device.close();
    await hub.stop();
    tmp.remove();
  });

  it('takes a ticket and checks in an appointment by card on the hub', async () => {
    const booked = await hub.call(hub.tokens.admin, 'queue.admin.appointments.create', {
      queueId: 'general',
      windowStart: new Date(Date.parse(HUB_CLOCK_START) - 10 * 60_000).toISOString(),
      windowEnd: new Date(Date.parse(HUB_CLOCK_START) + 60 * 60_000).toISOString(),
      applicantType: 'person',
      idNumber: ZHANG,
    });
    expect(booked.ok).toBe(true);
    const issued = await device.dispatch(kiosk, 'idcard.ticket.issue', {
      mutationId: uuid(),
      queueId: 'general',
      applicantType: 'person',
    });
    expect(issued).toMatchObject({ ok: true, value: { ticket: { number: 'A001' } } });
    const checkedIn = await device.dispatch(kiosk, 'idcard.appointment.checkIn', { mutationId: uuid() });
    expect(checkedIn).toMatchObject({
      ok: true,
      value: { ticket: { appointmentCode: (booked.value as { code: string }).code } },
    });
    const rows = holderHashes(path.join(hub.dataDir, 'device.sqlite'));
    expect(rows.map((r) => r.holder_hash)).toEqual([holderOf(ZHANG), holderOf(ZHANG)]);
  });
});
