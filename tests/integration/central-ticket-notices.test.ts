import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTime } from '@shared/queue/hall-day';
import { mutationDefs } from '@shared/sync/mutations';
import type { QueueTicketNoticeArgs } from '@shared/sync/mutations/queue';
import { inTransaction } from '../../central/src/db/pool';
import { createNoticeWorker } from '../../central/src/notices/notice-worker';
import { logOnlySmsProvider } from '../../central/src/notices/providers/sms-provider';
import { ticketNotice, TICKET_NOTICE_TTL_MS } from '../../central/src/notices/ticket-notices';
import { seedHall } from '../fixtures/central-cases';
import { hallDevice, type HallDevice } from '../fixtures/central-console';
import { startCentral, type TestCentral } from '../fixtures/central-server';

const PHONE = '13912345678';

/**
 * The pushed notices are applied at central's own time: their hall is put in a zone where it is day now
 * (9:00–20:00 there, hours from quiet hours either way), whenever the test runs.
 */
const DAYTIME_ZONE = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles'].find((z) => {
  const hour = Number(localTime(new Date(), z).slice(0, 2));
  return hour >= 9 && hour < 20;
})!;

const near = (ticketId: string, at = new Date()): QueueTicketNoticeArgs => ({
  event: 'near',
  ticketId,
  ticketNumber: 'A012',
  phone: PHONE,
  peopleAhead: 3,
  at: at.toISOString(),
});
const called = (ticketId: string, at = new Date()): QueueTicketNoticeArgs => ({
  event: 'called',
  ticketId,
  ticketNumber: 'A012',
  phone: PHONE,
  counterNumber: 3,
  at: at.toISOString(),
});
const notice = (args: QueueTicketNoticeArgs) => ({ name: 'queue.ticket.notice@1', args });

describe('queue ticket SMS at central', () => {
  let central: TestCentral;
  let hall: { id: string }, shanghai: { id: string };
  let hub: HallDevice;
  const lines: Record<string, unknown>[] = [];
  const worker = (now: () => Date) =>
    createNoticeWorker(central.pool, { provider: logOnlySmsProvider({ log: (l) => lines.push(l) }), clock: { now } });

  const rows = async (ticketId: string) =>
    (
      await central.pool.query<{ kind: string; status: string; phone: string | null; last_error: string | null }>(
        `SELECT kind, status, phone, last_error FROM notice_outbox WHERE idempotency_key LIKE $1 ORDER BY id`,
        [`ticket:${ticketId}:%`],
      )
    ).rows;

  beforeAll(async () => {
    central = await startCentral({ mutations: [...mutationDefs] });
    hall = await seedHall(central.pool, 'TQD', '日间大厅', DAYTIME_ZONE);
    shanghai = await seedHall(central.pool, 'TQS', '浦东大厅', 'Asia/Shanghai');
    hub = await hallDevice(central, hall.id, 'hub');
  });
  afterAll(async () => central?.stop());

  it('turns a hub’s notices into SMS once each, with the default wording, the phone masked in every log', async () => {
    const ticketId = crypto.randomUUID();
    const first = await hub.push(notice(near(ticketId)));
    expect(first).toMatchObject([{ status: 'applied', result: { notice: 'queued' } }]);
    // The same event again (a hub restored from its backup): nothing more.
    expect(await hub.push(notice(near(ticketId)))).toMatchObject([{ result: { notice: 'duplicate' } }]);

    const w = worker(() => new Date());
    expect(await w.runOnce()).toMatchObject({ sent: 1, dropped: 0 });
    expect(await hub.push(notice(called(ticketId)))).toMatchObject([{ result: { notice: 'queued' } }]);
    expect(await w.runOnce()).toMatchObject({ sent: 1 });

    expect(lines.map((l) => [l.kind, l.text, l.to])).toEqual([
      ['ticket_near', '【日间大厅】您的A012号前面还有3位，请回到大厅留意叫号。', '139****5678'],
      ['ticket_called', '【日间大厅】请A012号到3号窗口办理。', '139****5678'],
    ]);
    expect(await rows(ticketId)).toEqual([
      { kind: 'ticket_near', status: 'sent', phone: null, last_error: null },
      { kind: 'ticket_called', status: 'sent', phone: null, last_error: null },
    ]);
    const logged = await central.pool.query(`SELECT args FROM mutations WHERE name = 'queue.ticket.notice'`);
    expect(logged.rows).toHaveLength(3);
    expect(JSON.stringify(logged.rows)).not.toContain(PHONE);
    expect(JSON.stringify(lines)).not.toContain(PHONE);
  });

  it('sends no "near" once the call is known: dropped if waiting, not written if it comes after', async () => {
    const both = crypto.randomUUID();
    expect(await hub.push(notice(near(both)), notice(called(both)))).toMatchObject([
      { result: { notice: 'queued' } },
      { result: { notice: 'queued' } },
    ]);
    expect(await rows(both)).toEqual([
      { kind: 'ticket_near', status: 'dropped', phone: null, last_error: 'called' },
      { kind: 'ticket_called', status: 'pending', phone: PHONE, last_error: null },
    ]);
    const late = crypto.randomUUID();
    await hub.push(notice(called(late)));
    expect(await hub.push(notice(near(late)))).toMatchObject([{ result: { notice: 'dropped_called' } }]);
    expect((await rows(late)).map((r) => r.kind)).toEqual(['ticket_called']);
  });

  it('drops a queue notice in quiet hours or once stale instead of deferring it to the morning', async () => {
    const apply = (args: QueueTicketNoticeArgs, now: string) =>
      inTransaction(central.pool, (tx) => ticketNotice(tx, shanghai.id, args, new Date(now)));
    // 22:30 in Shanghai.
    const night = crypto.randomUUID();
    expect(await apply(near(night, new Date('2026-03-02T14:30:00Z')), '2026-03-02T14:30:00Z')).toEqual({
      notice: 'dropped_quiet_hours',
    });
    expect(await rows(night)).toEqual([
      { kind: 'ticket_near', status: 'dropped', phone: null, last_error: 'quiet_hours' },
    ]);
    // Pushed by a hub that was offline: the call happened longer ago than a notice is worth.
    const stale = crypto.randomUUID();
    const calledAt = new Date(Date.parse('2026-03-02T03:00:00Z') - TICKET_NOTICE_TTL_MS);
    expect(await apply(called(stale, calledAt), '2026-03-02T03:00:00Z')).toEqual({ notice: 'dropped_stale' });

    // Queued at 21:55, still unsent when the worker comes by at 22:01: dropped, not kept for 08:00.
    const evening = crypto.randomUUID();
    const queuedAt = new Date('2026-03-02T13:55:00Z');
    expect(await apply(called(evening, queuedAt), queuedAt.toISOString())).toEqual({ notice: 'queued' });
    // The other hall's calls still waiting from the test above are not this round's business.
    await central.pool.query(`UPDATE notice_outbox SET status = 'dropped' WHERE status = 'pending' AND hall_id <> $1`, [
      shanghai.id,
    ]);
    const sentBefore = lines.length;
    expect(await worker(() => new Date('2026-03-02T14:01:00Z')).runOnce()).toMatchObject({
      sent: 0,
      deferred: 0,
      dropped: 1,
    });
    expect(await rows(evening)).toEqual([
      { kind: 'ticket_called', status: 'dropped', phone: null, last_error: 'quiet_hours' },
    ]);
    expect(lines).toHaveLength(sentBefore);
  });

  it('drops a queue notice the provider refuses for good: never a dead letter kept to send again', async () => {
    const refused = crypto.randomUUID();
    await hub.push(notice(called(refused)));
    const refusing = createNoticeWorker(central.pool, {
      provider: {
        name: 'refusing',
        send: async () => ({ ok: false, error: 'isv.MOBILE_NUMBER_ILLEGAL', permanent: true }),
      },
    });
    expect(await refusing.runOnce()).toMatchObject({ dead: 0, dropped: 1 });
    expect(await rows(refused)).toEqual([
      { kind: 'ticket_called', status: 'dropped', phone: null, last_error: 'isv.MOBILE_NUMBER_ILLEGAL' },
    ]);
  });

  it('takes these notices from a device that keeps a hall queue, not from a hall screen', async () => {
    const display = await hallDevice(central, hall.id, 'display');
    expect(await display.push(notice(near(crypto.randomUUID())))).toMatchObject([
      { status: 'rejected', result: { reason: 'FORBIDDEN_ROLE' } },
    ]);
    const kiosk = await hallDevice(central, hall.id, 'kiosk');
    const bad = { ...near(crypto.randomUUID()), phone: '12345678901' };
    expect(await kiosk.push(notice(bad))).toMatchObject([{ status: 'rejected', result: { reason: 'INVALID_ARGS' } }]);
  });
});
