import type { z } from 'zod';
import { AppError, type Case, type ParsedInput } from '@shared/api';
import { caseActionsBetween } from '@shared/intake/case-states';
import type { REF_KINDS } from '@shared/sync/reference';
import type { Caller } from '../api/caller';
import type { CaseRecords } from '../intake/case-records';
import type { CommandRunner } from '../services/intake-command';
import type { CaseRecord, CaseStore } from '../store/case-store';
import { transitionCase } from './case-transition';

/** A department's progress on a case as central sends it (a `case.status` row). */
export type CentralCaseStatus = z.output<(typeof REF_KINDS)['case.status']['data']>;

/** The most the mutation's note carries (shared/sync/mutations/intake.ts). */
const MUTATION_NOTE_MAX = 500;

/** What central's status rows set on a case, to tell news from a row sent again. */
const centralPart = (c: CaseRecord) =>
  JSON.stringify([c.state, c.promisedDate, c.missing, c.decision, c.pickup, c.centralNote]);

const refuse = (code: 'CONFLICT' | 'NOT_FOUND' | 'INVALID_INPUT', reason: string, message: string) =>
  new AppError(code, message, { reason });

/**
 * A case's life after the counter: the department's steps as central reports them, and the applicant's
 * 补正 received back at the counter. Both write through the intake's command runner (one transaction,
 * outbox row and events after commit).
 */
export function createCaseProgress(deps: {
  cases: CaseStore;
  commands: CommandRunner;
  view: (c: CaseRecord) => Case;
  /** Runs a command answered with a case, its log keeping what the answer is rebuilt from. */
  caseCommand: CaseRecords['caseCommand'];
  now: () => Date;
}) {
  const { cases, commands, view, caseCommand, now } = deps;

  return {
    /**
     * Central's status of a case: the device hears only the latest one, so it walks the steps it missed
     * (dispatched → completed is start, complete; the department's note goes on the last one), then keeps
     * what came with it — the items a 补正 asks for, the decision and pickup of a completed case, a
     * promise moved by a 补正. Undefined for a case of another device of the hall. No way there (backwards,
     * out of a final state) is a CONFLICT (CASE_STATUS_CONFLICT) and writes nothing. Run inside a pull
     * page, the page's transaction holds the announcement until it commits.
     */
    applyCentralStatus(s: CentralCaseStatus): Case | undefined {
      return commands.atomic((ctx) => {
        const c = cases.byId(s.caseId);
        if (!c) return undefined;
        const before = { ...c };
        const actions = caseActionsBetween(c.state, s.status);
        if (!actions) {
          throw new AppError('CONFLICT', `central says ${s.status}, the case here is ${c.state}`, {
            reason: 'CASE_STATUS_CONFLICT',
          });
        }
        actions.forEach((action, i) =>
          transitionCase(cases, c, action, s.at, 'central', i === actions.length - 1 ? s.note : null),
        );
        cases.setCentralDetails(c.id, {
          promisedDate: s.promisedDate,
          missing: s.status === 'supplement_requested' ? s.missing : undefined,
          outcome: s.status === 'completed' ? { decision: s.decision, pickup: s.pickup } : undefined,
          centralNote: s.note,
        });
        const after = cases.byId(c.id)!;
        // The same status sent again (a re-download) says nothing: the lists re-fetch only for news.
        if (actions.length > 0 || centralPart(after) !== centralPart(before))
          ctx.emit('case.changed', { caseId: c.id });
        return view(after);
      });
    },

    /**
     * The applicant brought (some of) what the 补正通知 asked for: the case resumes here at once and
     * central is told in the same transaction which items came (catalog materials by id, the others by
     * name in the note), so the department's clock runs again.
     */
    receiveSupplement(input: ParsedInput<'case.supplement.receive'>, caller: Caller): Case {
      return caseCommand(input.mutationId, 'case.supplement.receive', (ctx) => {
        const c = cases.byId(input.caseId);
        if (!c) throw refuse('NOT_FOUND', 'UNKNOWN_CASE', 'no such case');
        if (c.state !== 'supplement_requested') {
          throw refuse('CONFLICT', 'NOT_AWAITING_SUPPLEMENT', `a ${c.state} case is not waiting for 补正`);
        }
        const positions = [...new Set(input.received)].sort((a, b) => a - b);
        if (positions.some((p) => p >= c.missing.length)) {
          throw refuse('INVALID_INPUT', 'UNKNOWN_SUPPLEMENT_ITEM', 'the 补正通知 asked for no such item');
        }
        const items = positions.map((p) => c.missing[p]!);
        const byName = items.filter((m) => m.materialId === null).map((m) => m.name);
        const note = [byName.length ? `已收：${byName.join('、')}` : '', input.note]
          .filter(Boolean)
          .join('；')
          .slice(0, MUTATION_NOTE_MAX);
        const at = now().toISOString();
        const received = `补正材料已收：${items.map((m) => m.name).join('、')}`;
        transitionCase(cases, c, 'resume', at, caller.origin, input.note ? `${received}；${input.note}` : received);
        ctx.append(
          'case.supplement.receive@1',
          {
            caseId: c.id,
            materialIds: items.flatMap((m) => (m.materialId ? [m.materialId] : [])),
            note,
            receivedBy: caller.person?.staffId ?? caller.origin,
            at,
          },
          c.id,
        );
        ctx.emit('case.changed', { caseId: c.id });
        return view(cases.byId(c.id)!);
      });
    },
  };
}
export type CaseProgress = ReturnType<typeof createCaseProgress>;
