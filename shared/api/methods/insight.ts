import { z } from 'zod';
import { defineMethod } from '../define';
import { FEEDBACK_CATEGORIES, FEEDBACK_KINDS, FEEDBACK_STATUSES } from './feedback';
import { CASE_STATES } from '../../intake/case-states';
import { isoDate } from './intake';

/** Longest range one dashboard read covers: a month of days, so one call stays cheap on a hall PC. */
export const INSIGHT_MAX_DAYS = 31;

/** Upper edges (seconds) of the wait and service time histogram buckets; the last bucket is open-ended. */
export const INSIGHT_BUCKET_EDGES = [300, 600, 900, 1200, 1800, 2700, 3600] as const;

/** A range of hall days as central and the hub take it: both ends given, at most a month. */
export const insightDateRangeSchema = z
  .object({ from: isoDate, to: isoDate })
  .strict()
  .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['to'] })
  .refine((r) => (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 < INSIGHT_MAX_DAYS, {
    message: `at most ${INSIGHT_MAX_DAYS} days`,
    path: ['to'],
  });

export const histogramSchema = z.object({
  count: z.number().int(),
  /** One count per bucket: [0, 300), [300, 600), … [3600, ∞) seconds. */
  buckets: z.array(z.number().int()),
  p50Seconds: z.number().int().nullable(),
  p90Seconds: z.number().int().nullable(),
  avgSeconds: z.number().int().nullable(),
});
export type Histogram = z.infer<typeof histogramSchema>;

export const ticketStatsSchema = z.object({
  totals: z.object({
    issued: z.number().int(),
    called: z.number().int(),
    served: z.number().int(),
    noShow: z.number().int(),
    /** No-shows over tickets called at least once; null when none was called. */
    noShowRate: z.number().min(0).max(1).nullable(),
  }),
  /** 24 rows, hour 0–23 of the hall's time zone, summed over the range. */
  perHour: z.array(
    z.object({ hour: z.number().int(), issued: z.number().int(), called: z.number().int(), served: z.number().int() }),
  ),
  wait: histogramSchema,
  service: histogramSchema,
  byQueue: z.array(
    z.object({
      queueId: z.string(),
      nameZh: z.string(),
      nameEn: z.string(),
      issued: z.number().int(),
      served: z.number().int(),
      noShow: z.number().int(),
      wait: histogramSchema,
      service: histogramSchema,
    }),
  ),
  byCounter: z.array(
    z.object({
      counterId: z.string(),
      number: z.number().int().nullable(),
      name: z.string(),
      served: z.number().int(),
      wait: histogramSchema,
      service: histogramSchema,
    }),
  ),
  /**
   * Per clerk: tickets served, their service time, and idle time = time signed in at a counter not serving.
   * A sign-in nobody closed counts until the clerk's last finished service of that day (today: until now).
   */
  clerks: z.array(
    z.object({
      clerkId: z.string(),
      name: z.string(),
      served: z.number().int(),
      avgServiceSeconds: z.number().int().nullable(),
      serviceSeconds: z.number().int(),
      onDutySeconds: z.number().int(),
      idleSeconds: z.number().int(),
    }),
  ),
});
export type TicketStats = z.infer<typeof ticketStatsSchema>;

const count = z.number().int();

/**
 * The intake's side of the dashboard: cases, feedback and ratings. Central computes it over every device
 * of the hall; a device that cannot reach central computes it from its own tables.
 */
export const intakeStatsSchema = z.object({
  cases: z.object({
    total: count,
    byMatter: z.array(z.object({ matterCode: z.string(), nameZh: z.string(), nameEn: z.string(), count })),
    byStatus: z.array(z.object({ state: z.enum(CASE_STATES), count })),
    /** Open cases past their promised date as of today, whatever the range. */
    overdue: z.array(
      z.object({
        caseNumber: z.string(),
        matterNameZh: z.string(),
        matterNameEn: z.string(),
        state: z.enum(CASE_STATES),
        promisedDate: isoDate,
      }),
    ),
  }),
  feedback: z.object({
    byKind: z.array(
      z.object({
        kind: z.enum(FEEDBACK_KINDS),
        total: count,
        byStatus: z.array(z.object({ status: z.enum(FEEDBACK_STATUSES), count })),
      }),
    ),
    returnVisits: z.object({
      /** 应回访: planned for a day of the range. */
      scheduled: count,
      /** 已回访: recorded on a day of the range, whatever day they were planned for. */
      done: count,
      /** Of the visits planned within the range, the share done by now; null when none was planned. */
      completionRate: z.number().min(0).max(1).nullable(),
    }),
  }),
  ratings: z.object({
    total: count,
    /** Levels 5 (非常满意) down to 1 (非常不满意). */
    byLevel: z.array(z.object({ level: z.number().int().min(1).max(5), count })),
    /** Bad reviews (levels 1–2) by the status of their rectification follow-up. */
    rectification: z.array(z.object({ status: z.enum(FEEDBACK_STATUSES), count })),
    badTotal: count,
  }),
});
export type IntakeStats = z.infer<typeof intakeStatsSchema>;

/** Where each part of a dashboard came from, so the page can say what it shows. */
export const insightSourcesSchema = z.object({
  /**
   * `hub`: the queue that holds the tickets (live today and its history); `central`: the days the hub
   * archived and sent there; null: neither answered.
   */
  tickets: z.enum(['hub', 'central']).nullable(),
  /** `central`: the whole hall; `local`: only this device's records (central unreachable or not enrolled). */
  intake: z.enum(['central', 'local']),
});
export type InsightSources = z.infer<typeof insightSourcesSchema>;

/** How close a reminder is to its deadline: the hall's own reckoning or central's escalation, the later. */
export const REMINDER_LEVELS = ['due_soon', 'overdue'] as const;

/**
 * What the hall must chase today, from this device's records whatever the range: feedback due within one
 * working day (hall calendar) or overdue, or escalated by central; cases waiting for the applicant's 补正.
 * Numbers, kinds and matters only: no applicant's name or the feedback's words (the leader pane shows it).
 */
export const hallRemindersSchema = z.object({
  feedback: z.array(
    z.object({
      feedbackId: z.string(),
      number: z.string(),
      kind: z.enum(FEEDBACK_KINDS),
      category: z.enum(FEEDBACK_CATEGORIES),
      status: z.enum(FEEDBACK_STATUSES),
      /** A 差评's rectification. */
      rating: z.boolean(),
      /** The department it went to, in both languages (null: none yet). */
      departmentNameZh: z.string().nullable(),
      departmentNameEn: z.string().nullable(),
      dueDate: isoDate,
      level: z.enum(REMINDER_LEVELS),
    }),
  ),
  supplement: z.array(
    z.object({
      caseNumber: z.string(),
      matterNameZh: z.string(),
      matterNameEn: z.string(),
      /** The names of what the 补正通知 asks for. */
      missing: z.array(z.string()),
      since: z.string(),
    }),
  ),
});
export type HallReminders = z.infer<typeof hallRemindersSchema>;

export const dashboardSchema = z.object({
  from: isoDate,
  to: isoDate,
  timeZone: z.string(),
  generatedAt: z.string(),
  /** The range includes the hall's today: its ticket numbers are the live queue's. */
  live: z.boolean(),
  sources: insightSourcesSchema,
  /** Null when neither the queue (the hall hub) nor central could answer: the intake numbers are still shown. */
  tickets: ticketStatsSchema.nullable(),
  ...intakeStatsSchema.shape,
  reminders: hallRemindersSchema,
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export const insightMethods = {
  'insight.dashboard': defineMethod({
    description: 'Hall statistics for a range of hall days (default today): queue, cases, feedback, ratings.',
    input: z
      .object({ from: isoDate.optional(), to: isoDate.optional() })
      .strict()
      .refine((r) => !r.from || !r.to || r.from <= r.to, { message: 'from must not be after to', path: ['to'] })
      .refine((r) => !r.from || !r.to || (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 < INSIGHT_MAX_DAYS, {
        message: `at most ${INSIGHT_MAX_DAYS} days`,
        path: ['to'],
      }),
    output: dashboardSchema,
  }),
  // A `queue.` method so a device with a hall hub asks the hub, which holds the live queue and its history.
  'queue.insight.tickets': defineMethod({
    description: 'Ticket statistics of a range of hall days, from the queue that holds them.',
    input: insightDateRangeSchema,
    output: ticketStatsSchema,
  }),
};
