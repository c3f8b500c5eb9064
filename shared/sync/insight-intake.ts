import { z } from 'zod';
import { insightDateRangeSchema } from '../api/methods/insight';
import { isoDate } from '../api/methods/intake';
import { timeZone } from '../api/methods/queue';

/** Where a device asks central for its hall's intake statistics (answer: `intakeStatsSchema`). */
export const INSIGHT_INTAKE_PATH = '/sync/v1/insight/intake';

/**
 * The query of that request: the hall days of the dashboard, the hall's today (for what is overdue) and
 * the hall's time zone, in which the days begin. The range is checked as every dashboard range is.
 */
export const insightIntakeQuerySchema = z
  .object({ from: isoDate, to: isoDate, today: isoDate, tz: timeZone })
  .strict()
  .superRefine(({ from, to }, ctx) => {
    const range = insightDateRangeSchema.safeParse({ from, to });
    for (const issue of range.error?.issues ?? [])
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });
export type InsightIntakeQuery = z.infer<typeof insightIntakeQuerySchema>;
