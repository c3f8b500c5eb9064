import type { RefRow } from '@shared/sync/wire';
import { REF_KINDS } from '@shared/sync/reference';
import type { LeaderContentStore } from '../store/leader-content-store';
import type { QueueStore } from '../store/queue-store';

/** Applies pulled rows of one kind to the device's tables; runs inside the page's transaction. */
export interface PullApplier {
  apply(row: RefRow): void;
  /** Central's history restarted: forget what this kind pulled before (the full download follows). */
  reset(): void;
}

// A clerk removed at central can no longer sign in: a PIN hash no PIN matches (the row stays for history).
const DISABLED_PIN = 'disabled';

function clerkApplier(queue: QueueStore): PullApplier {
  return {
    apply(row) {
      if (row.deleted) {
        const existing = queue.clerk(row.id);
        if (existing) queue.upsertClerk({ id: row.id, name: existing.name, pinHash: DISABLED_PIN });
        return;
      }
      const data = REF_KINDS.clerk.data.parse(row.data);
      queue.upsertClerk({ id: row.id, name: data.name, pinHash: data.pinHash });
    },
    reset() {
      // Clerks stay: counters reference them, and the full download that follows rewrites each one.
    },
  };
}

function leaderContentApplier(store: LeaderContentStore, kind: string): PullApplier {
  return {
    apply(row) {
      if (row.deleted) store.remove(kind, row.id);
      else store.upsert({ kind, id: row.id, data: row.data, version: row.version });
    },
    reset: () => store.clear(),
  };
}

/**
 * Reference kind → applier. Only the kinds listed here are pulled (central filters by them), and a
 * change of the list restarts the pull so a newly wired kind is downloaded in full.
 *
 * Registration point: the intake wires `catalog.department`, `catalog.matter`, `holiday` and
 * `case.status` through `extra` (sync/intake-pull-appliers.ts, wired in create-core.ts).
 */
export function createPullAppliers(
  deps: { queue: QueueStore; leaderContent: LeaderContentStore },
  extra: Record<string, PullApplier> = {},
): Record<string, PullApplier> {
  return {
    clerk: clerkApplier(deps.queue),
    'leader.schedule': leaderContentApplier(deps.leaderContent, 'leader.schedule'),
    'leader.briefing': leaderContentApplier(deps.leaderContent, 'leader.briefing'),
    'leader.file': leaderContentApplier(deps.leaderContent, 'leader.file'),
    ...extra,
  };
}
