import {
  AppError,
  type Briefing,
  type BriefingSummary,
  type LeaderFileSummary,
  type LeaderFileView,
  type ScheduleItem,
} from '@shared/api';
import type { BriefingInput, LeaderFileInput, ScheduleInput } from '@shared/api/methods/leader';
import { overlaps } from '@shared/leader/schedule-overlaps';
import type { Caller } from '../api/caller';
import { actionView } from './actions';
import { CiphertextError } from './crypto';
import { leaderAad as aad } from './legacy-conversion';
import type { PaneCore } from './pane-core';
import { openBox, openJsonBox } from './seal-box';
import type { LeaderSessionState, LeaderSessions } from './sign-in';
import type { RecordKind } from '../store/leader-store';

type FileMeta = Omit<LeaderFileInput, 'dataBase64'> & { size: number };

/** The leader's schedule, briefings and files, opened with the key of the signed-in session. */
export function createLeaderReading(core: PaneCore, sessions: LeaderSessions) {
  const { store, now, audit, write } = core;
  const { requireSession } = sessions;

  function decryptAll<T>(caller: Caller, s: LeaderSessionState, kind: RecordKind): (T & { id: string })[] {
    const out: (T & { id: string })[] = [];
    const unreadable: string[] = [];
    for (const row of store.records(s.leaderId, kind)) {
      try {
        out.push({ ...openJsonBox<T>(s.key, row.body, aad.record(s.leaderId, kind, row.id)), id: row.id });
      } catch (e) {
        if (!(e instanceof CiphertextError)) throw e;
        unreadable.push(row.id);
      }
    }
    // A damaged record is left out of the list (the rest stays usable) and leaves a trace in the audit log.
    if (unreadable.length > 0) {
      write(() => {
        for (const id of unreadable) audit(caller, s.leaderId, 'record.unreadable', id, { kind });
      });
    }
    return out;
  }

  function flags(leaderId: string): Map<string, Set<string>> {
    const map = new Map<string, Set<string>>();
    for (const { target_id, action } of store.actionKinds(leaderId)) {
      const set = map.get(target_id) ?? new Set<string>();
      set.add(action);
      map.set(target_id, set);
    }
    return map;
  }

  function openOne<T>(s: LeaderSessionState, kind: RecordKind, id: string): T {
    const row = store.record(s.leaderId, id);
    if (!row || row.kind !== kind) throw new AppError('NOT_FOUND', `no ${kind} ${id}`, { reason: `${kind}_not_found` });
    return openJsonBox<T>(s.key, row.body, aad.record(s.leaderId, kind, id));
  }

  function schedule(input: { from: string; to: string }, caller: Caller): ScheduleItem[] {
    const s = requireSession(caller);
    const from = Date.parse(input.from);
    const to = Date.parse(input.to);
    const items = decryptAll<Omit<ScheduleInput, 'id'>>(caller, s, 'schedule')
      .filter((i) => Date.parse(i.start) < to && Date.parse(i.end) > from)
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.id.localeCompare(b.id));
    const conflicts = overlaps(items);
    return items.map((i) => ({ ...i, conflictsWith: conflicts.get(i.id) ?? [] }));
  }

  function briefings(caller: Caller): BriefingSummary[] {
    const s = requireSession(caller);
    const done = flags(s.leaderId);
    return decryptAll<Omit<BriefingInput, 'id'>>(caller, s, 'briefing')
      .map((b) => ({
        id: b.id,
        kind: b.kind,
        title: b.title,
        priority: b.priority,
        publishedAt: b.publishedAt,
        read: done.get(b.id)?.has('read') ?? false,
        approved: done.get(b.id)?.has('approve') ?? false,
      }))
      .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
  }

  function openBriefing(input: { id: string }, caller: Caller): Briefing {
    const s = requireSession(caller);
    const b = openOne<Omit<BriefingInput, 'id'>>(s, 'briefing', input.id);
    write(() => audit(caller, s.leaderId, 'briefing.open', input.id, { kind: b.kind, priority: b.priority }));
    const actions = store.actionsFor(s.leaderId, input.id).map((a) => actionView(s.leaderId, s.key, a));
    return {
      ...b,
      id: input.id,
      read: actions.some((a) => a.action === 'read'),
      approved: actions.some((a) => a.action === 'approve'),
      actions,
    };
  }

  function files(caller: Caller): LeaderFileSummary[] {
    const s = requireSession(caller);
    const done = flags(s.leaderId);
    return decryptAll<FileMeta>(caller, s, 'file')
      .map((f) => ({
        id: f.id,
        name: f.name,
        mime: f.mime,
        classification: f.classification,
        size: f.size,
        publishedAt: f.publishedAt,
        read: done.get(f.id)?.has('read') ?? false,
        approved: done.get(f.id)?.has('approve') ?? false,
      }))
      .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
  }

  function viewFile(input: { id: string }, caller: Caller): LeaderFileView {
    const s = requireSession(caller);
    const meta = openOne<FileMeta>(s, 'file', input.id);
    const blob = store.fileBlob(input.id);
    if (!blob) throw new CiphertextError(aad.blob(s.leaderId, input.id), 'file content missing');
    const bytes = openBox(s.key, blob, aad.blob(s.leaderId, input.id));
    const at = now().toISOString();
    write(() => audit(caller, s.leaderId, 'file.view', input.id, { classification: meta.classification }));
    const actions = store.actionsFor(s.leaderId, input.id).map((a) => actionView(s.leaderId, s.key, a));
    return {
      id: input.id,
      name: meta.name,
      mime: meta.mime,
      classification: meta.classification,
      size: meta.size,
      publishedAt: meta.publishedAt,
      read: actions.some((a) => a.action === 'read'),
      approved: actions.some((a) => a.action === 'approve'),
      dataBase64: bytes.toString('base64'),
      printable: meta.classification === 'internal',
      watermark: { viewer: s.name, at },
      actions,
    };
  }

  return { schedule, briefings, openBriefing, files, viewFile };
}
