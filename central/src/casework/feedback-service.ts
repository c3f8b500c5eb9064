import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type {
  FeedbackActionBody,
  FeedbackDetail,
  FeedbackQueueItem,
  FeedbackQueuePage,
  FeedbackQueueQuery,
} from '@shared/console/feedback';
import { FEEDBACK_DUE_SOON_DAYS } from '@shared/console/deadline';
import { OPEN_FEEDBACK_STATUSES, nextFeedbackStatus, type FeedbackStatus } from '@shared/intake/feedback-states';
import type { FEEDBACK_CHANNELS } from '@shared/api/methods/feedback';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { auditAdmin } from '../identity/audit';
import { isCentralAdmin } from '../identity/staff-admin';
import type { StaffRecord } from '../identity/staff-store';
import { catalogStore } from './catalog-store';
import { handlesDepartment, scopeOf, seesCase, supervisesHall } from './console-access';
import { feedbackStore, type FeedbackChange, type FeedbackRow } from './feedback-store';
import { HallCalendars, type CaseworkClock } from './hall-calendar';
import { putFeedbackStatus } from './status-refs';

const RUNNING: readonly string[] = OPEN_FEEDBACK_STATUSES;
type Escalation = 'none' | 'due_soon' | 'overdue';
type FeedbackChannel = (typeof FEEDBACK_CHANNELS)[number];

/** Due within a working day: the reminder; past the due date: overdue, for the leader to see. */
export function escalationOf(cal: HallCalendars, today: string, f: Pick<FeedbackRow, 'hallId' | 'status' | 'dueDate'>) {
  const { dueLevel } = cal.due(f.hallId, today, f.dueDate, RUNNING.includes(f.status), FEEDBACK_DUE_SOON_DAYS);
  return (dueLevel === 'ok' ? 'none' : dueLevel) satisfies Escalation;
}

/**
 * Tells the item's hall central's side of it (`feedback.status`), in the transaction of the change, due
 * soon or overdue as of `todayOf` the item's hall.
 */
export async function publishFeedback(
  tx: Tx,
  cal: HallCalendars,
  todayOf: (hallId: string) => string,
  at: string,
  feedbackId: string,
) {
  const f = (await feedbackStore.byId(tx, feedbackId))!;
  const escalation = escalationOf(cal, todayOf(f.hallId), f);
  await putFeedbackStatus(tx, f.hallId, {
    feedbackId,
    status: f.status,
    departmentId: f.departmentId,
    dueDate: f.dueDate,
    answer: f.answer,
    answeredAt: f.answeredAt?.toISOString() ?? null,
    escalation,
    at,
  });
  return escalation;
}

// Items from before central kept the channel: a rating's rectification is the one that names its rating.
const channelOf = (f: FeedbackRow): FeedbackChannel =>
  (f.channel as FeedbackChannel | null) ?? (f.ratingId ? 'rating' : 'counter');
const summaryOf = (content: string) => {
  const line = content.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
};

function queueItem(f: FeedbackRow, cal: HallCalendars, today: string): FeedbackQueueItem {
  return {
    feedbackId: f.feedbackId,
    number: f.number,
    kind: f.kind as FeedbackQueueItem['kind'],
    channel: channelOf(f),
    category: f.category as FeedbackQueueItem['category'],
    status: f.status,
    hallId: f.hallId,
    hallName: f.hallName,
    departmentId: f.departmentId,
    departmentName: f.departmentName,
    summary: summaryOf(f.content),
    createdAt: f.createdAt.toISOString(),
    dueDate: f.dueDate,
    ...cal.due(f.hallId, today, f.dueDate, RUNNING.includes(f.status), FEEDBACK_DUE_SOON_DAYS),
    ratingLevel: f.ratingLevel,
    version: f.version,
  };
}

async function detailOf(q: Db | Tx, f: FeedbackRow, cal: HallCalendars, today: string): Promise<FeedbackDetail> {
  const rating = f.ratingId ? await feedbackStore.rating(q, f.ratingId) : undefined;
  const visits = await feedbackStore.returnVisits(q, f.feedbackId);
  const events = await feedbackStore.events(q, f.feedbackId);
  return {
    ...queueItem(f, cal, today),
    content: f.content,
    contactMasked: f.contactMasked,
    phoneMasked: f.phoneMasked,
    caseNumber: f.caseNumber,
    answer: f.answer,
    answeredAt: f.answeredAt?.toISOString() ?? null,
    answeredBy: f.answeredBy,
    rating: rating
      ? {
          level: rating.level,
          reasons: rating.reasons,
          comment: rating.comment,
          at: rating.at.toISOString(),
          appeal: rating.appealStatus
            ? { status: rating.appealStatus, reason: rating.appealReason ?? '', decisionReason: rating.decisionReason }
            : null,
        }
      : null,
    returnVisits: visits.map((v) => ({
      method: v.method as FeedbackDetail['returnVisits'][number]['method'],
      outcome: v.outcome as FeedbackDetail['returnVisits'][number]['outcome'],
      note: v.note,
      doneAt: v.doneAt?.toISOString() ?? null,
      byName: v.byName,
    })),
    history: events.map((e) => ({
      at: e.at.toISOString(),
      action: e.action,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actorName: e.actorName,
      note: e.note,
    })),
  };
}

type FeedbackActOutcome =
  | { ok: true; detail: FeedbackDetail }
  | { ok: false; code: 'NOT_FOUND' | 'FORBIDDEN' | 'RATED_CLERK'; message: string }
  | { ok: false; code: 'INVALID_INPUT'; message: string; fields: Record<string, string> }
  | {
      ok: false;
      code: 'FEEDBACK_VERSION_CONFLICT' | 'FEEDBACK_STATE_CONFLICT';
      message: string;
      current: FeedbackDetail;
    };

/** Who may take each action: the hall's supervisor, a central administrator (assign), the department (answer). */
function mayAct(actor: StaffRecord, f: FeedbackRow, action: FeedbackActionBody['action']) {
  if (action === 'assign') return supervisesHall(actor, f.hallId) || isCentralAdmin(actor);
  if (action === 'answer') return handlesDepartment(actor, f.departmentId);
  return supervisesHall(actor, f.hallId);
}

/** Whether a return visit was recorded since the item was last resolved (its close waits for one). */
async function revisitedSinceResolved(q: Tx, feedbackId: string) {
  const events = await feedbackStore.events(q, feedbackId);
  const resolvedAt = events.findLastIndex((e) => e.toStatus === 'resolved' && e.fromStatus !== 'resolved');
  return events.slice(resolvedAt + 1).some((e) => e.action === 'return_visit');
}

/** Supervision (督查): the feedback queue, an item, its actions, the escalation reminders. */
export function createFeedbackService(db: Db, clock: CaseworkClock) {
  const calendars = (q: Db | Tx) => HallCalendars.load(q);

  async function actIn(
    tx: Tx,
    req: FastifyRequest,
    actor: StaffRecord,
    feedbackId: string,
    version: number,
    act: FeedbackActionBody,
  ): Promise<FeedbackActOutcome> {
    const cal = await calendars(tx);
    const f = await feedbackStore.byId(tx, feedbackId, true);
    if (!f) return { ok: false, code: 'NOT_FOUND', message: 'no such feedback' };
    const today = cal.today(f.hallId, clock);
    const who = { staffId: actor.id, login: actor.login };
    const entity = `feedback:${feedbackId}`;
    const refuse = async (code: 'FORBIDDEN' | 'RATED_CLERK', message: string) => {
      await auditAdmin(tx, req, who, {
        action: `feedback_${act.action}`,
        entity,
        hallId: f.hallId,
        outcome: 'refused',
      });
      return { ok: false as const, code, message };
    };
    if (!mayAct(actor, f, act.action)) return refuse('FORBIDDEN', `not allowed to ${act.action} this item`);
    if (act.action === 'return_visit' && f.ratingId) {
      // A 差评's return visit is never made by the clerk it rates (central knows the clerk by name only).
      const rating = await feedbackStore.rating(tx, f.ratingId);
      if (rating?.clerkName && rating.clerkName === actor.name) {
        return refuse('RATED_CLERK', 'the rated clerk does not make the return visit of their own 差评');
      }
    }
    const conflict = async (code: 'FEEDBACK_VERSION_CONFLICT' | 'FEEDBACK_STATE_CONFLICT', message: string) => ({
      ok: false as const,
      code,
      message,
      current: await detailOf(tx, f, cal, today),
    });
    if (f.version !== version) return conflict('FEEDBACK_VERSION_CONFLICT', 'someone changed this item first');

    const at = clock.now().toISOString();
    let to: FeedbackStatus | undefined;
    let change: FeedbackChange = {};
    let note: string | null = null;
    switch (act.action) {
      case 'assign': {
        const fields: Record<string, string> = {};
        if (!(await catalogStore.departmentOfHall(tx, act.departmentId, f.hallId))) {
          fields['act.departmentId'] = 'is not a department of this hall';
        }
        if (act.dueDate < today) fields['act.dueDate'] = 'must not be in the past';
        if (Object.keys(fields).length > 0) {
          return { ok: false, code: 'INVALID_INPUT', message: Object.values(fields).join('; '), fields };
        }
        to = nextFeedbackStatus(f.status, 'assign');
        change = { departmentId: act.departmentId, dueDate: act.dueDate };
        note = act.note || null;
        break;
      }
      case 'answer':
        to = nextFeedbackStatus(f.status, 'resolve');
        change = { answer: act.answer, answeredAt: at, answeredBy: actor.name };
        note = act.answer;
        break;
      case 'return_visit':
        // A dissatisfied applicant reopens the item; any other outcome leaves it answered, ready to close.
        to = f.status !== 'resolved' ? undefined : act.outcome === 'dissatisfied' ? 'open' : 'resolved';
        note = act.note || null;
        break;
      case 'close':
        to = nextFeedbackStatus(f.status, 'close');
        if (to && !(await revisitedSinceResolved(tx, feedbackId))) {
          return conflict('FEEDBACK_STATE_CONFLICT', 'a return visit comes before the item is closed');
        }
        change = { closedAt: at };
        note = act.note || null;
        break;
      case 'reopen':
        to = nextFeedbackStatus(f.status, 'reopen');
        change = { closedAt: null };
        note = act.note;
        break;
    }
    if (!to) return conflict('FEEDBACK_STATE_CONFLICT', `cannot ${act.action} an item that is ${f.status}`);

    const next = await feedbackStore.move(tx, { feedbackId, version, status: to, at, change });
    if (next === undefined) return conflict('FEEDBACK_VERSION_CONFLICT', 'someone changed this item first');
    if (act.action === 'return_visit') {
      await feedbackStore.addReturnVisit(tx, {
        returnVisitId: crypto.randomUUID(),
        feedbackId,
        scheduledFor: today,
        method: act.method,
        outcome: act.outcome,
        note: act.note,
        doneAt: at,
        byName: actor.name,
      });
    }
    await feedbackStore.addEvent(tx, {
      feedbackId,
      action: act.action,
      fromStatus: f.status,
      toStatus: to,
      at,
      actorStaffId: actor.id,
      actorName: actor.name,
      note,
    });
    await publishFeedback(tx, cal, () => today, at, feedbackId);
    await auditAdmin(tx, req, who, {
      action: `feedback_${act.action}`,
      entity,
      hallId: f.hallId,
      before: { status: f.status, version: f.version },
      after: { status: to, version: next, act },
    });
    return { ok: true, detail: await detailOf(tx, (await feedbackStore.byId(tx, feedbackId))!, cal, today) };
  }

  const filterBase = (actor: StaffRecord, cal: HallCalendars) => ({
    scope: scopeOf(actor),
    running: RUNNING,
    days: cal.days(clock, FEEDBACK_DUE_SOON_DAYS),
  });

  return {
    async queue(actor: StaffRecord, q: FeedbackQueueQuery): Promise<FeedbackQueuePage> {
      const cal = await calendars(db);
      const page = await feedbackStore.page(
        db,
        {
          ...filterBase(actor, cal),
          kind: q.kind,
          status: q.status,
          hallId: q.hallId,
          departmentId: q.departmentId,
          due: q.due,
          ratingOnly: q.ratingOnly,
          q: q.q || undefined,
        },
        { limit: q.pageSize, offset: (q.page - 1) * q.pageSize },
      );
      return {
        items: page.rows.map((f) => queueItem(f, cal, cal.today(f.hallId, clock))),
        total: page.total,
        dueSoon: page.dueSoon,
        overdue: page.overdue,
      };
    },

    async get(actor: StaffRecord, feedbackId: string): Promise<FeedbackDetail | 'NOT_FOUND' | 'FORBIDDEN'> {
      const f = await feedbackStore.byId(db, feedbackId);
      if (!f) return 'NOT_FOUND';
      if (!seesCase(scopeOf(actor), f)) return 'FORBIDDEN';
      const cal = await calendars(db);
      return detailOf(db, f, cal, cal.today(f.hallId, clock));
    },

    /** One action on the version the person saw, with its history line, return visit, hall row and audit row. */
    act: (req: FastifyRequest, actor: StaffRecord, feedbackId: string, version: number, act: FeedbackActionBody) =>
      inTransaction(db, (tx) => actIn(tx, req, actor, feedbackId, version, act)),

    async reminders(actor: StaffRecord) {
      const cal = await calendars(db);
      const page = await feedbackStore.page(db, filterBase(actor, cal), { limit: 0, offset: 0 });
      return { feedbackDueSoon: page.dueSoon, feedbackOverdue: page.overdue };
    },
  };
}
