import type { Case, ParsedInput } from '@shared/api';
import type { CaseAction } from '@shared/intake/case-states';
import type { CaseRecords, IntakeServiceDeps } from './case-records';

/** Cases as the counter reads them (one with its history, lists, an applicant's), and central's status moves. */
export function createCaseViews(
  deps: Pick<IntakeServiceDeps, 'cases' | 'commands' | 'today'>,
  { view, caseOrThrow, transition }: CaseRecords,
) {
  const { cases, commands, today } = deps;
  return {
    view,
    casesOf: (applicantId: string, limit: number): Case[] => cases.list({ applicantId, limit }).map((c) => view(c)),

    get(caseId: string) {
      const c = caseOrThrow(caseId);
      return {
        case: view(c),
        events: cases.events(caseId).map(({ fromState, toState, at, actor, note }) => ({
          fromState,
          toState,
          at,
          actor,
          note,
        })),
      };
    },

    list(filter: ParsedInput<'case.list'>): Case[] {
      const day = today();
      return cases
        .list({
          state: filter.state,
          applicantId: filter.applicantId,
          overdueBefore: filter.overdueOnly ? day : undefined,
          limit: filter.limit,
        })
        .map((c) => view(c, day));
    },

    /**
     * A status update from central (the department's progress): checked against the case's state
     * machine, recorded as an event by `central`, announced to the lists. Run inside a sync pull page,
     * the page's transaction holds the announcement until it commits (see the event bus's `hold`).
     */
    applyCaseStatus(caseId: string, action: CaseAction, at: string, note: string | null): Case {
      return commands.atomic((ctx) => {
        const c = caseOrThrow(caseId);
        transition(c, action, at, 'central', note);
        ctx.emit('case.changed', { caseId });
        return view(cases.byId(caseId)!);
      });
    },
  };
}
