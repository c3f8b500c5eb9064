import type { FastifyBaseLogger } from 'fastify';
import { TRACKING_PATH } from '@shared/console/tracking';
import { DEFAULT_HALL_TIME_ZONE } from '@shared/format/hall-time';
import { NOTICE_PLACEHOLDERS, isQueueNoticeKind, type NoticeParams } from '@shared/notices/notices';
import type { Db } from '../db/pool';
import { hallStore } from '../store/hall-store';
import { noticeEvents } from './notice-events';
import { noticeStore, type NoticeRow } from './notice-store';
import type { SmsProvider } from './providers/sms-provider';
import { sendableFrom } from './quiet-hours';

export interface NoticeWorkerOptions {
  provider: SmsProvider;
  /** Central's clock (tests move it). */
  clock?: { now(): Date };
  /** Central's public address, for the tracking link; absent: the notice points at the receipt. */
  publicUrl?: string | null;
  /** Tries before a notice becomes a dead letter. */
  maxAttempts?: number;
  /** The wait after the n-th failed try (n from 1). */
  backoffMs?: (attempt: number) => number;
  /** How long a taken notice is the taker's before another worker may take it again. */
  leaseMs?: number;
  batch?: number;
  /** Between two rounds of the running worker. */
  intervalMs?: number;
}

/** One minute, doubling, at most an hour. */
export const defaultBackoff = (attempt: number) => Math.min(3_600_000, 60_000 * 2 ** (attempt - 1));

const RECEIPT_INSTEAD = '受理回执上的查询地址';

/** `{name}` for each known placeholder; anything else in braces stays as written. */
export function renderNotice(body: string, params: NoticeParams): string {
  return body.replace(/\{(\w+)\}/g, (whole, name: string) =>
    (NOTICE_PLACEHOLDERS as readonly string[]).includes(name) ? (params[name as keyof NoticeParams] ?? '') : whole,
  );
}

/**
 * Sends central's SMS outbox: takes what is due, renders each with its template, hands it to the provider
 * outside any transaction, then records the outcome — sent, tried again later (backoff, never into a
 * hall's quiet hours), or dead after `maxAttempts` or a refusal that cannot change. A notice due in its
 * hall's quiet hours waits for 08:00 there without counting as a try; the events queue notices at the
 * time they happen, so this is the one place that knows the hour. A queue ticket's notice is the
 * exception: stale past its expiry, it is dropped instead of waiting or being tried again (ticket-notices).
 */
export function createNoticeWorker(db: Db, opts: NoticeWorkerOptions) {
  const clock = opts.clock ?? { now: () => new Date() };
  const maxAttempts = opts.maxAttempts ?? 6;
  const backoff = opts.backoffMs ?? defaultBackoff;
  const publicUrl = opts.publicUrl?.replace(/\/+$/, '') || null;

  const paramsOf = (row: NoticeRow): NoticeParams => {
    const { queryCode, ...params } = row.params;
    if (row.kind !== 'case_accepted') return params;
    const path = `${TRACKING_PATH}/${encodeURIComponent(params.caseNumber ?? '')}`;
    const trackingUrl = publicUrl
      ? `${publicUrl}${path}${queryCode ? `?code=${encodeURIComponent(queryCode)}` : ''}`
      : RECEIPT_INSTEAD;
    return { ...params, trackingUrl };
  };

  async function deliver(row: NoticeRow, zones: Map<string, string>, now: Date) {
    const zone = zones.get(row.hallId) ?? DEFAULT_HALL_TIME_ZONE;
    const morning = sendableFrom(now, zone);
    if (isQueueNoticeKind(row.kind) && (morning > now || (row.expiresAt && row.expiresAt <= now))) {
      // Deferred to the morning, "请到3号窗口" would call someone to a hall that closed the evening before.
      await noticeStore.drop(db, row.id, morning > now ? 'quiet_hours' : 'stale');
      return { outcome: 'dropped' as const };
    }
    if (morning > now) {
      await noticeStore.defer(db, row.id, morning);
      return { outcome: 'deferred' as const };
    }
    const attempts = row.attempts + 1;
    // A dead letter waits to be sent again later, which a queue notice is past: it is dropped, phone and all.
    const gaveUp = isQueueNoticeKind(row.kind) ? ('dropped' as const) : ('dead' as const);
    const failed = async (error: string, permanent: boolean) => {
      if (permanent || attempts >= maxAttempts) {
        if (gaveUp === 'dropped') return noticeStore.drop(db, row.id, error);
        return noticeStore.dead(db, row.id, attempts, error, now);
      }
      const next = sendableFrom(new Date(now.getTime() + backoff(attempts)), zone);
      return noticeStore.retryLater(db, row.id, attempts, error, next);
    };
    const body = await noticeStore.template(db, row.kind, row.matterCode);
    if (!body) {
      await failed(`no template for ${row.kind}`, true);
      return { outcome: gaveUp };
    }
    const params = paramsOf(row);
    let result;
    try {
      result = await opts.provider.send({ phone: row.phone, kind: row.kind, text: renderNotice(body, params), params });
    } catch (e) {
      result = { ok: false as const, error: e instanceof Error ? e.message : String(e), permanent: false };
    }
    if (result.ok) {
      await noticeStore.sent(db, row.id, attempts, result.ref, now);
      return { outcome: 'sent' as const };
    }
    await failed(result.error.slice(0, 500), result.permanent);
    return { outcome: result.permanent || attempts >= maxAttempts ? gaveUp : ('retry' as const) };
  }

  /** One round: the 容缺 reminders due, then every notice due now. */
  async function runOnce() {
    const now = clock.now();
    const reminders = await noticeEvents.toleranceScan(db, now);
    const rows = await noticeStore.claim(db, now, new Date(now.getTime() + (opts.leaseMs ?? 60_000)), opts.batch ?? 20);
    const zones = await hallStore.zones(db);
    const counts = { reminders, sent: 0, retry: 0, dead: 0, deferred: 0, dropped: 0 };
    for (const row of rows) counts[(await deliver(row, zones, now)).outcome] += 1;
    return counts;
  }

  /** Rounds every `intervalMs` until the answered function is called (it waits for a round under way). */
  function start(log: FastifyBaseLogger): () => Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    let current: Promise<void> = Promise.resolve();
    const round = async () => {
      try {
        const c = await runOnce();
        if (c.sent + c.retry + c.dead + c.dropped > 0) log.info({ notices: c }, 'sms notices');
      } catch (e) {
        log.error({ err: e }, 'sms notice round failed');
      }
      if (stopped) return;
      timer = setTimeout(() => (current = round()), opts.intervalMs ?? 30_000);
      timer.unref();
    };
    current = round();
    return async () => {
      stopped = true;
      clearTimeout(timer);
      await current;
    };
  }

  return { runOnce, start };
}
