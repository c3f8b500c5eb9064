import type { RefRow } from '@shared/sync/wire';
import { REF_KINDS } from '@shared/sync/reference';
import type { LeaderService } from '../services/leader-service';
import type { RecordKind } from '../store/leader-store';
import type { IdentityService } from '../identity/identity-service';
import { SyncError } from './central-client';

/** What a new enrolment changed: the hall, and the leader the device serves (`leader` also within a hall). */
export interface EnrollmentChange {
  hall: boolean;
  leader: boolean;
}

/** Applies pulled rows of one kind to the device's tables; runs inside the page's transaction. */
export interface PullApplier {
  apply(row: RefRow): void;
  /** Central's history restarted: forget what this kind pulled before (the full download follows). */
  reset(): void;
  /**
   * The device was enrolled into another hall or for another leader: forget what was pulled for the old
   * enrolment, inside the enrolment's transaction (the new one's full download follows). Rows the
   * device's own history names stay, no longer usable. Absent: the kind keeps nothing enrolment-specific.
   */
  purge?(change: EnrollmentChange): void;
  /**
   * After the page's rows, still inside its transaction: for appliers that write a page at once.
   * `last`: no page follows in this pull.
   */
  endPage?(last: boolean): void;
  /**
   * True while rows this kind pulled wait for a row of a later page (a matter for its department): the
   * saved cursor then stays where their page started, so a restart pulls them again rather than losing them.
   */
  waiting?(): boolean;
}

/** Where pulled leader content goes: the leader pane, which seals it under the leader's data key. */
export type LeaderPullTarget = Pick<
  LeaderService,
  'hasAccount' | 'importLeaderContent' | 'dropPulledContent' | 'dropOrphanActions'
>;

/** Where pulled staff accounts go: the identity service, which also ends the sessions of a disabled person. */
export type StaffPullTarget = Pick<IdentityService, 'applyPulled' | 'disableAll'>;

function staffApplier(identity: StaffPullTarget): PullApplier {
  return {
    apply(row) {
      if (row.deleted) return identity.applyPulled(row.id, null);
      identity.applyPulled(row.id, REF_KINDS.staff.data.parse(row.data));
    },
    reset() {
      // Accounts stay: counters and history name them, and the full download that follows rewrites each one.
    },
    // The old hall's staff must not sign in here, nor the clerks made on this device for the old hall:
    // the new hall's download brings its own accounts back enabled.
    purge: (change) => {
      if (change.hall) identity.disableAll();
    },
  };
}

/** Where the hall's zone from central goes: the device's own queue settings, when it keeps its own clock. */
export interface HallZoneTarget {
  adoptZone(timeZone: string): void;
}

/**
 * The hall's zone as central holds it (one row, id: the hall). Kept through a reset (the full download
 * brings the row again) and a move to another hall (the new hall's row comes with its download).
 */
function hallZoneApplier(target: HallZoneTarget): PullApplier {
  return {
    apply(row) {
      if (!row.deleted) target.adoptZone(REF_KINDS['hall.zone'].data.parse(row.data).timeZone);
    },
    reset() {
      // The zone stays the hall's until the download that follows says otherwise.
    },
  };
}

const LEADER_KINDS = { 'leader.schedule': 'schedule', 'leader.briefing': 'briefing', 'leader.file': 'file' } as const;
type LeaderRefKind = keyof typeof LEADER_KINDS;

/**
 * The three leader kinds share one page buffer and import it as one bundle at the end of the page: one
 * encrypted write and one audit row per page, never a clear copy in device.sqlite. leader.sqlite is
 * another file, so the import commits before the page's cursor does; a failed page is pulled again and
 * the import (upserts by id) repeats harmlessly. A reset drops only what was pulled: content imported by
 * hand on the device is not central's to drop, and central's rows never replace it.
 */
function leaderAppliers(target: LeaderPullTarget, leaderId: () => string | null): Record<LeaderRefKind, PullApplier> {
  // By id, latest row last: a page retried after a failure replaces what the failed attempt buffered.
  let page = new Map<string, RefRow>();
  // Actions may point at records a reset dropped and the full download did not bring back: cleared at the
  // end of the pull after a reset, and of the first pull after each start (a crash may cut a download short).
  let orphansDue = true;
  const endPage = (last: boolean) => {
    const rows = [...page.values()];
    page = new Map();
    const id = leaderId();
    // Central sends leader content only to devices enrolled for a leader.
    if (!id) return;
    if (rows.length > 0) importPage(id, rows);
    if (last && orphansDue && target.hasAccount(id)) {
      target.dropOrphanActions(id);
      orphansDue = false;
    }
  };
  const importPage = (id: string, rows: RefRow[]) => {
    if (!target.hasAccount(id)) {
      throw new SyncError(
        'LEADER_NOT_ENROLLED',
        `central sends content for leader ${id}, who has no account on this device yet (enrol them in the leader pane)`,
      );
    }
    const of = (kind: LeaderRefKind) =>
      rows.filter((r) => r.kind === kind && !r.deleted).map((r) => ({ ...(r.data as object), id: r.id }));
    target.importLeaderContent(id, {
      schedules: of('leader.schedule'),
      briefings: of('leader.briefing'),
      files: of('leader.file'),
      remove: rows.filter((r) => r.deleted).map((r) => r.id),
    });
  };
  // The actions left pointing at dropped records go once the next download has brought back what it will.
  const drop = (kind: LeaderRefKind, opts: { toCentral: boolean }) => {
    const id = leaderId();
    orphansDue = true;
    if (id) target.dropPulledContent(id, LEADER_KINDS[kind] satisfies RecordKind, opts);
  };
  // Before the new enrolment is saved, `leaderId` is still the old one: its content goes. Moved to another
  // hall, the audit row of the drop is the old hall's history: the new hall's central must not get it.
  const applier = (kind: LeaderRefKind): PullApplier => ({
    apply: (row) => void page.set(row.id, row),
    reset: () => drop(kind, { toCentral: true }),
    purge: (change) => drop(kind, { toCentral: !change.hall }),
    endPage,
  });
  return {
    'leader.schedule': applier('leader.schedule'),
    'leader.briefing': applier('leader.briefing'),
    'leader.file': applier('leader.file'),
  };
}

/**
 * Reference kind → applier. Only the kinds listed here are pulled (central filters by them), and a
 * change of the list restarts the pull so a newly wired kind is downloaded in full.
 *
 * Registration point: the intake wires `catalog.department`, `catalog.matter`, `holiday`, `case.status`
 * and `feedback.status` through `extra` (sync/intake-pull-appliers.ts, wired in create-core.ts).
 */
export function createPullAppliers(
  deps: {
    identity: StaffPullTarget;
    leader: LeaderPullTarget;
    /** Central's id of the leader this device is enrolled for (null on other devices). */
    enrolledLeaderId: () => string | null;
    hallZone: HallZoneTarget;
  },
  extra: Record<string, PullApplier> = {},
): Record<string, PullApplier> {
  return {
    staff: staffApplier(deps.identity),
    'hall.zone': hallZoneApplier(deps.hallZone),
    ...leaderAppliers(deps.leader, deps.enrolledLeaderId),
    ...extra,
  };
}
