import { z } from 'zod';
import { isoDate } from '../api/methods/intake';
import { isWeekend } from '../intake/working-days';
import { singleLine } from '../validation/text';
import { catalogHallSchema } from './catalog';

/**
 * The working-day calendar at the console: by year, the public holidays (休) and the weekend make-up working
 * days (调休上班) central sends the halls as `holiday` rows, one row per date (the row id), so a date
 * entered twice stays one row. Every hall's rows (`hallId` null) or one hall's own.
 */
const year = z.coerce.number().int().min(2000).max(2100);

/** One day as a person enters it: a make-up working day is only ever a Saturday or a Sunday. */
export const calendarDaySchema = z
  .object({ date: isoDate, name: singleLine(40), workday: z.boolean() })
  .strict()
  .refine((d) => !d.workday || isWeekend(d.date), {
    message: 'a make-up working day is a Saturday or a Sunday',
    path: ['workday'],
  });
export type CalendarDay = z.infer<typeof calendarDaySchema>;

/** Where a day of the calendar comes from: the schedules the devices are born with, or central's rows. */
export const CALENDAR_SOURCES = ['builtin', 'all_halls', 'hall'] as const;
export type CalendarSource = (typeof CALENDAR_SOURCES)[number];

/** A year as the devices of the scope hold it: `global`, every hall's rows; a hall's id, with its own too. */
export const calendarQuerySchema = z
  .object({ year, scope: z.union([z.literal('global'), z.uuid()]).default('global') })
  .strict();

export const calendarViewSchema = z.object({
  year: z.number().int(),
  hallId: z.string().nullable(),
  days: z.array(
    z.object({
      date: z.string(),
      /** '' for the built-in schedules' days, which carry no name. */
      name: z.string(),
      workday: z.boolean(),
      source: z.enum(CALENDAR_SOURCES),
    }),
  ),
  /** At least one day: a year without any has no calendar, and the counters promise no date in it. */
  hasCalendar: z.boolean(),
});
export type CalendarView = z.infer<typeof calendarViewSchema>;

export const calendarDayWriteSchema = z.object({ hallId: catalogHallSchema, day: calendarDaySchema }).strict();
export type CalendarDayWrite = z.infer<typeof calendarDayWriteSchema>;

/** Takes a date out of the scope's calendar (a tombstone: the devices take it out too). */
export const calendarDayRemoveSchema = z.object({ hallId: catalogHallSchema, date: isoDate }).strict();
export type CalendarDayRemove = z.infer<typeof calendarDayRemoveSchema>;

/**
 * A year's list at once (pasted and previewed). A date twice is one day, the later line's. `replace`: the
 * scope's other days of that year are taken out, so the list becomes the year's calendar.
 */
export const calendarImportSchema = z
  .object({
    hallId: catalogHallSchema,
    year,
    days: z.array(calendarDaySchema).min(1).max(120),
    replace: z.boolean().default(false),
  })
  .strict()
  .refine((c) => c.days.every((d) => d.date.startsWith(`${c.year}-`)), {
    message: 'every date must be in the given year',
    path: ['days'],
  })
  .transform((c) => ({ ...c, days: [...new Map(c.days.map((d) => [d.date, d])).values()] }));
export type CalendarImport = z.input<typeof calendarImportSchema>;

/** From 1 November: the halls (of the person's) whose devices have no calendar for next year. */
export const calendarStatusSchema = z.object({
  today: z.string(),
  /** The year whose calendar is due (next year from 1 November), else null. */
  dueYear: z.number().int().nullable(),
  missing: z.array(z.object({ hallId: z.string(), code: z.string(), name: z.string() })),
});
export type CalendarStatus = z.infer<typeof calendarStatusSchema>;

// ---------------------------------------------------------------- pasting a year's list

export const CALENDAR_LINE_PROBLEMS = ['format', 'date', 'year', 'name', 'kind', 'weekday'] as const;
export type CalendarLineProblem = (typeof CALENDAR_LINE_PROBLEMS)[number];

export interface PastedLine {
  /** 1-based, as the person sees the text. */
  line: number;
  text: string;
  day: CalendarDay | null;
  problem: CalendarLineProblem | null;
  /** A later line gives the same date: that one is kept. */
  replacedBy: number | null;
}

const WORKDAY_WORDS = new Set([
  '班',
  '上班',
  '补班',
  '调休上班',
  '工作日',
  'workday',
  'work',
  '1',
  'true',
  'yes',
  '是',
]);
const HOLIDAY_WORDS = new Set(['休', '假', '放假', '休息', '节假日', 'holiday', 'off', '0', 'false', 'no', '否']);

/** 2027-01-01, 2027/1/1, 2027.1.1 or 2027年1月1日 as YYYY-MM-DD (not yet checked to be a real date). */
function dateOf(text: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : null;
}

function parseLine(text: string, year: number): { day: CalendarDay | null; problem: CalendarLineProblem | null } {
  // Commas (either width), semicolons or tabs between the three columns; else spaces.
  let parts = text.split(/[,，;；\t]/).map((p) => p.trim());
  if (parts.length < 3) parts = text.split(/\s+/);
  if (parts.length !== 3) return { day: null, problem: 'format' };
  const [dateText, name, kindText] = parts as [string, string, string];
  const date = dateOf(dateText);
  if (!date || !isoDate.safeParse(date).success) return { day: null, problem: 'date' };
  if (!date.startsWith(`${year}-`)) return { day: null, problem: 'year' };
  const kind = kindText.toLowerCase();
  if (!WORKDAY_WORDS.has(kind) && !HOLIDAY_WORDS.has(kind)) return { day: null, problem: 'kind' };
  const day = calendarDaySchema.safeParse({ date, name, workday: WORKDAY_WORDS.has(kind) });
  if (!day.success) return { day: null, problem: day.error.issues[0]?.path[0] === 'workday' ? 'weekday' : 'name' };
  return { day: day.data, problem: null };
}

/**
 * A year's list as pasted from the State Council's notice or a spreadsheet, one day a line: date, name, and
 * 休 (holiday) or 班 (make-up working day). Each line with its problem, if any; a date given twice is kept
 * once, from its last line (a day entered twice is one row).
 */
export function parseCalendarPaste(text: string, forYear: number): { lines: PastedLine[]; days: CalendarDay[] } {
  const lines: PastedLine[] = [];
  const lastLineOf = new Map<string, PastedLine>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (!trimmed) return;
    const parsed = parseLine(trimmed, forYear);
    const line: PastedLine = { line: i + 1, text: trimmed, ...parsed, replacedBy: null };
    if (parsed.day) {
      const earlier = lastLineOf.get(parsed.day.date);
      if (earlier) earlier.replacedBy = line.line;
      lastLineOf.set(parsed.day.date, line);
    }
    lines.push(line);
  });
  const days = [...lastLineOf.values()].map((l) => l.day!).sort((a, b) => a.date.localeCompare(b.date));
  return { lines, days };
}
