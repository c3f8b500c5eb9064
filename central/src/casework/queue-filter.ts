import type { ConsoleScope } from './console-access';
import type { HallDays } from './hall-calendar';

/** What the case queue and the feedback queue filter alike: who may see a row, where it is, and its due date. */
export interface QueueFilter {
  scope: ConsoleScope;
  hallId?: string | undefined;
  departmentId?: string | undefined;
  due?: 'due_soon' | 'overdue' | undefined;
  /** Statuses whose due date runs (a row in another status is never due soon nor overdue). */
  running: readonly string[];
  /** Per hall: its date today and the first date that is no longer due soon (HallCalendars.days). */
  days: HallDays;
}

/** `LIKE` pattern of a prefix typed by a person: their % and _ are plain characters. */
export const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/**
 * The shared WHERE of a queue over the table alias `row` (with hall_id, department_id, status and the due
 * column); `add` numbers a queue's own parameters, `where` joins its own conditions with the shared ones.
 * `overdue()` and `dueSoon()` add the due conditions' parameters only when a query uses them (PostgreSQL
 * refuses a parameter no query names).
 */
export function queueFilterSql(f: QueueFilter, row: 'c' | 'f', dueColumn: string) {
  const params: unknown[] = [];
  const add = (v: unknown) => `$${params.push(v)}`;
  const once = <T>(make: () => T) => {
    let s: T | undefined;
    return () => (s ??= make());
  };
  // Each hall's dates: one table of parameters, named by both due conditions.
  const days = once(() => [add(f.days.hallIds), add(f.days.todays), add(f.days.soonBefores)] as const);
  const dayOf = (column: 'today' | 'soon_before') => {
    const [hallIds, todays, soonBefores] = days();
    return `(SELECT d.${column} FROM unnest(${hallIds}::uuid[], ${todays}::date[], ${soonBefores}::date[])
      AS d(hall_id, today, soon_before) WHERE d.hall_id = ${row}.hall_id)`;
  };
  const running = once(() => `${row}.status = ANY(${add(f.running)}::text[])`);
  const due = `${row}.${dueColumn}`;
  const overdue = () => `(${running()} AND ${due} < ${dayOf('today')})`;
  const dueSoon = () => `(${running()} AND ${due} >= ${dayOf('today')} AND ${due} < ${dayOf('soon_before')})`;
  const shared = [
    `(${add(f.scope.all)} OR ${row}.hall_id = ANY(${add(f.scope.hallIds)}::uuid[])
      OR ${row}.department_id = ANY(${add(f.scope.departmentIds)}::text[]))`,
  ];
  if (f.hallId) shared.push(`${row}.hall_id = ${add(f.hallId)}`);
  if (f.departmentId) shared.push(`${row}.department_id = ${add(f.departmentId)}`);
  return {
    params,
    add,
    overdue,
    dueSoon,
    where(own: string[]) {
      const conds = [...shared, ...own];
      if (f.due === 'overdue') conds.push(overdue());
      if (f.due === 'due_soon') conds.push(dueSoon());
      return conds.join(' AND ');
    },
  };
}
