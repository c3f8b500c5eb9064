import type { CaseDecision, CasePickup, SupplementItem } from '@shared/intake/case-outcome';
import { OPEN_CASE_STATES } from '@shared/intake/case-states';
import { noticePhoneSchema, type NoticeKind } from '@shared/notices/notices';
import { localDate } from '@shared/queue/hall-day';
import { maskPhone } from '@shared/validation/mask';
import type { Db, Tx } from '../db/pool';
import { noticeStore, type CaseContact, type NoticeToQueue } from './notice-store';

/** A 容缺 reminder goes out when the promised date is this many days away (or fewer: a late acceptance). */
export const TOLERANCE_REMINDER_DAYS = 2;

const STARTED_STATES: readonly string[] = OPEN_CASE_STATES;

/**
 * One notice about a case, keyed by its event: an event applied twice queues it once. A case without a
 * mobile number on file gets none (an SMS reaches nothing else).
 */
function noticeOf(
  c: CaseContact,
  kind: NoticeKind,
  key: string,
  params: Record<string, string>,
  now: Date,
): NoticeToQueue | undefined {
  const phone = c.phone?.replace(/[\s-]/g, '') ?? '';
  if (!noticePhoneSchema.safeParse(phone).success) return undefined;
  return {
    key,
    kind,
    hallId: c.hallId,
    caseId: c.caseId,
    matterCode: c.matterCode,
    phone,
    phoneMasked: maskPhone(phone),
    params: { hallName: c.hallName, caseNumber: c.caseNumber, matterName: c.matterName, ...params },
    at: now,
  };
}

/** Queues one notice about a case in the caller's transaction (see `noticeOf`). */
async function queue(
  tx: Db | Tx,
  c: CaseContact,
  kind: NoticeKind,
  key: string,
  params: Record<string, string>,
  now: Date,
): Promise<boolean> {
  const n = noticeOf(c, kind, key, params, now);
  return n ? noticeStore.enqueue(tx, n) : false;
}

const pickupText = (decision: CaseDecision | null, pickup: CasePickup | null) => {
  const result = decision?.outcome === 'denied' ? '不予许可决定书' : '办理结果';
  if (pickup?.method === 'post')
    return `${result}已通过${pickup.carrier || '邮政'}寄出，运单号${pickup.trackingNumber}`;
  return `请携带受理回执到大厅窗口领取${result}`;
};

export const noticeEvents = {
  /**
   * The notice of a case the counter accepted that reached central: 已受理, with its tracking link (the code
   * from the receipt). Undefined when it gets none. A push batch queues its cases' notices together.
   */
  caseAccepted(c: CaseContact, queryCode: string | null, now: Date): NoticeToQueue | undefined {
    if (!STARTED_STATES.includes(c.status)) return undefined;
    return noticeOf(c, 'case_accepted', `case:${c.caseId}:accepted`, queryCode ? { queryCode } : {}, now);
  },

  /** A department's step, after it was written: 补正 (each request its own notice) and 办结. */
  async caseMoved(
    tx: Tx,
    m: {
      caseId: string;
      action: string;
      version: number;
      missing: readonly SupplementItem[];
      decision: CaseDecision | null;
      pickup: CasePickup | null;
    },
    now: Date,
  ): Promise<boolean> {
    if (m.action !== 'request_supplement' && m.action !== 'complete') return false;
    const c = await noticeStore.caseContact(tx, m.caseId);
    if (!c) return false;
    if (m.action === 'request_supplement') {
      const missing = m.missing.map((x) => x.name).join('、');
      return queue(tx, c, 'supplement_requested', `case:${m.caseId}:supplement:v${m.version}`, { missing }, now);
    }
    const pickup = pickupText(m.decision, m.pickup);
    return queue(tx, c, 'case_completed', `case:${m.caseId}:completed`, { pickup }, now);
  },

  /**
   * 容缺 items due within TOLERANCE_REMINDER_DAYS of each hall's today: one reminder per case and due date
   * (a new promised date is a new reminder). Returns how many were queued.
   */
  async toleranceScan(db: Db, now: Date): Promise<number> {
    // A day either side of UTC's dates covers every zone's today.
    const utcDate = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
    const cases = await noticeStore.toleranceDueBetween(
      db,
      STARTED_STATES,
      utcDate(-1),
      utcDate(TOLERANCE_REMINDER_DAYS + 1),
    );
    let queued = 0;
    for (const c of cases) {
      const today = localDate(now, c.timeZone);
      const due = c.toleranceDueDate!;
      const daysLeft = (Date.parse(`${due}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000;
      if (daysLeft < 0 || daysLeft > TOLERANCE_REMINDER_DAYS) continue;
      const key = `case:${c.caseId}:tolerance_due:${due}`;
      if (await queue(db, c, 'tolerance_due', key, { dueDate: due }, now)) queued += 1;
    }
    return queued;
  },
};
