import { z } from 'zod';
import { insightDateRangeSchema } from '../api/methods/insight';
import { isoDate } from '../api/methods/intake';
import { timeZone } from '../api/methods/queue';

/** Where a device asks central for its hall's intake statistics (answer: `intakeStatsSchema`). */
export const INSIGHT_INTAKE_PATH = '/sync/v1/insight/intake';
/** Where a device asks central for the ticket statistics of the days its hub archived (answer: `ticketStatsSchema`). */
export const INSIGHT_TICKETS_PATH = '/sync/v1/insight/tickets';

/** The hall days of a dashboard read, checked as every dashboard range is, in the hall's time zone. */
const rangeQuery = z
  .object({ from: isoDate, to: isoDate, tz: timeZone })
  .strict()
  .superRefine(({ from, to }, ctx) => {
    const range = insightDateRangeSchema.safeParse({ from, to });
    for (const issue of range.error?.issues ?? [])
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });

/** The intake query also names the hall's today, for what is overdue. */
export const insightIntakeQuerySchema = rangeQuery.safeExtend({ today: isoDate });
export type InsightIntakeQuery = z.infer<typeof insightIntakeQuerySchema>;

export const insightTicketsQuerySchema = rangeQuery;
export type InsightTicketsQuery = z.infer<typeof insightTicketsQuerySchema>;
