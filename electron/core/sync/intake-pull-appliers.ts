import { AppError, type CalendarYear, type Department, type Matter } from '@shared/api';
import { calendarYearSchema } from '@shared/api/methods/intake';
import { REF_KINDS } from '@shared/sync/reference';
import type { RefRow } from '@shared/sync/wire';
import type { CentralCaseStatus } from '../casework/case-progress';
import type { CentralFeedbackStatus } from '../services/feedback-service';
import type { PullApplier } from './pull-appliers';

/** What the intake pull appliers write through: the intake's own services, never its tables. */
export interface IntakePullTargets {
  catalog: {
    upsertDepartment(d: Department): Department;
    upsertMatter(m: Matter): Matter;
    matter(code: string): Matter | undefined;
    /** The matters offered (active ones). */
    matters(filter: Record<string, never>): Matter[];
    calendarYear(year: number): CalendarYear;
    putCalendarYear(c: CalendarYear): CalendarYear;
  };
  cases: {
    /** Walks the case to central's status and keeps its details; undefined for a case of another device. */
    applyCentralStatus(s: CentralCaseStatus): unknown;
  };
  feedback: {
    /** Takes central's side of an item; undefined for an item of another device. */
    applyCentralStatus(s: CentralFeedbackStatus): unknown;
  };
  log: { warn(obj: object, msg: string): void };
}

/**
 * A row this device cannot apply must not wedge the pull (every later row would wait behind it
 * forever), so it is skipped — with a warning naming it, never silently.
 */
function warnSkipped(log: IntakePullTargets['log'], kind: string, row: RefRow, e: AppError) {
  log.warn(
    { kind, id: row.id, version: row.version, code: e.code, reason: (e.details as { reason?: string })?.reason },
    'pulled row refused by the intake: skipped',
  );
}

function skippingRefusals(kind: string, log: IntakePullTargets['log'], apply: (row: RefRow) => void) {
  return (row: RefRow) => {
    try {
      apply(row);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      warnSkipped(log, kind, row, e);
    }
  };
}

const parse = <T>(
  kind: string,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  v: unknown,
): T => {
  const p = schema.safeParse(v);
  if (!p.success)
    throw new AppError('INVALID_INPUT', `central sent a ${kind} row this device cannot read`, {
      reason: 'BAD_REF_ROW',
    });
  return p.data;
};

// Catalog and calendar rows are rewritten by the full download that follows a reset; nothing to forget.
const keep = () => undefined;

function departmentApplier(t: IntakePullTargets): PullApplier {
  return {
    apply: skippingRefusals('catalog.department', t.log, (row) => {
      // Matters and cases name their department: a department removed at central stays for them.
      if (row.deleted) return;
      t.catalog.upsertDepartment(parse('catalog.department', REF_KINDS['catalog.department'].data, row.data));
    }),
    reset: keep,
  };
}

const isUnknownDepartment = (e: unknown) =>
  e instanceof AppError && (e.details as { reason?: string } | undefined)?.reason === 'UNKNOWN_DEPARTMENT';

/**
 * A matter names its department, whose row may come later in the pull (a department edited after the
 * matter has the higher version): such a matter waits, by code, and is tried again after each page until
 * its department has arrived. Only a pull that ends without it gives the matter up, with a warning.
 */
function matterApplier(t: IntakePullTargets): PullApplier {
  const waiting = new Map<string, { row: RefRow; matter: Matter }>();
  const kind = 'catalog.matter';
  return {
    apply: skippingRefusals(kind, t.log, (row) => {
      waiting.delete(row.id);
      if (row.deleted) {
        // Cases keep their matter: a removed matter is only no longer offered.
        const existing = t.catalog.matter(row.id);
        if (existing?.active) t.catalog.upsertMatter({ ...existing, active: false });
        return;
      }
      const matter = parse(kind, REF_KINDS[kind].data, row.data);
      try {
        t.catalog.upsertMatter(matter);
      } catch (e) {
        if (!isUnknownDepartment(e)) throw e;
        waiting.set(row.id, { row, matter });
      }
    }),
    endPage(last) {
      for (const [code, { row, matter }] of waiting) {
        try {
          t.catalog.upsertMatter(matter);
          waiting.delete(code);
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          if (isUnknownDepartment(e) && !last) continue;
          waiting.delete(code);
          warnSkipped(t.log, kind, row, e);
        }
      }
    },
    waiting: () => waiting.size > 0,
    reset: () => waiting.clear(),
    // Cases keep their matter; the old hall's matters are only no longer offered, until the new hall's
    // download brings back (active) those it also has. Departments stay: matters and cases name them.
    // Another leader of the same hall changes nothing here.
    purge(change) {
      if (!change.hall) return;
      waiting.clear();
      for (const m of t.catalog.matters({})) t.catalog.upsertMatter({ ...m, active: false });
    },
  };
}

/** One date per row (its id): merged into its year's holidays or make-up working days; a tombstone removes it. */
function holidayApplier(t: IntakePullTargets): PullApplier {
  return {
    apply: skippingRefusals('holiday', t.log, (row) => {
      const date = parse('holiday', REF_KINDS.holiday.data.shape.date, row.id);
      const data = row.deleted ? undefined : parse('holiday', REF_KINDS.holiday.data, row.data);
      const current = t.catalog.calendarYear(Number(date.slice(0, 4)));
      const others = (list: string[]) => list.filter((d) => d !== date);
      const next = {
        year: current.year,
        holidays: data && !data.workday ? [...others(current.holidays), date] : others(current.holidays),
        workdays: data?.workday ? [...others(current.workdays), date] : others(current.workdays),
      };
      t.catalog.putCalendarYear(parse('holiday', calendarYearSchema, next));
    }),
    reset: keep,
  };
}

/**
 * A department's progress on a case (see the case progress service: it walks the steps the device missed
 * and keeps the 补正 items, decision, pickup and a moved promise). A case of another device of the hall is
 * not ours. No way there (backwards, or from a final state) is a real conflict between central and this
 * device, skipped with a warning so the pull goes on.
 */
function caseStatusApplier(t: IntakePullTargets): PullApplier {
  return {
    apply: skippingRefusals('case.status', t.log, (row) => {
      if (row.deleted) return;
      t.cases.applyCentralStatus(parse('case.status', REF_KINDS['case.status'].data, row.data));
    }),
    reset: keep,
  };
}

/**
 * Central's side of a complaint, suggestion or 差评 rectification this device filed: department, deadline,
 * answer, escalation. An item of another device of the hall is not ours; a row older than the one applied
 * is skipped with a warning. A deletion leaves the item as it is: the hall's record stays.
 */
function feedbackStatusApplier(t: IntakePullTargets): PullApplier {
  return {
    apply: skippingRefusals('feedback.status', t.log, (row) => {
      if (row.deleted) return;
      t.feedback.applyCentralStatus(parse('feedback.status', REF_KINDS['feedback.status'].data, row.data));
    }),
    // The full download after a reset brings every item's latest status again; nothing to forget.
    reset: keep,
  };
}

/** The intake's pull appliers, for `createPullAppliers`' registration point. */
export function createIntakePullAppliers(t: IntakePullTargets): Record<string, PullApplier> {
  return {
    'catalog.department': departmentApplier(t),
    'catalog.matter': matterApplier(t),
    holiday: holidayApplier(t),
    'case.status': caseStatusApplier(t),
    'feedback.status': feedbackStatusApplier(t),
  };
}
