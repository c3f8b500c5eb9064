import type { CalendarYear } from '../api/methods/intake';
import { isWorkingDay } from '../intake/working-days';

/** How close a case or a feedback item is to its deadline; the console and the hall colour by it. */
export const DUE_LEVELS = ['ok', 'due_soon', 'overdue'] as const;
export type DueLevel = (typeof DUE_LEVELS)[number];

const DAY_MS = 86_400_000;
const toUtc = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const toIso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Working days from `today` to `due` by the hall calendar: 0 on the due day itself, 1 when the next working
 * day is the due day, negative when `due` has passed (−1: the due day was the last working day before today).
 */
export function workingDaysLeft(today: string, due: string, calendars: readonly CalendarYear[]): number {
  if (today === due) return 0;
  const forward = due > today;
  let ms = toUtc(today);
  let count = 0;
  const end = toUtc(due);
  while (forward ? ms < end : ms > end) {
    ms += forward ? DAY_MS : -DAY_MS;
    if (isWorkingDay(toIso(ms), calendars)) count += forward ? 1 : -1;
  }
  // Today past a due day that was no working day still counts as overdue.
  return !forward && count === 0 ? -1 : count;
}

/** ≤ `soonDays` working days left: due soon; past the due date: overdue. */
export function dueLevel(daysLeft: number, soonDays: number): DueLevel {
  if (daysLeft < 0) return 'overdue';
  return daysLeft <= soonDays ? 'due_soon' : 'ok';
}

/** A case is due soon with ≤ 2 working days left (the work queue's colour). */
export const CASE_DUE_SOON_DAYS = 2;
/** A complaint is due soon with ≤ 1 working day left (the reminder on the console and the hall dashboard). */
export const FEEDBACK_DUE_SOON_DAYS = 1;
