import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { briefingContentSchema, scheduleContentSchema } from '@shared/api/methods/leader';
import {
  conflictsOf,
  type LeaderResponse,
  type OfficeBriefing,
  type OfficeFile,
  type OfficeLeader,
  type OfficeSchedule,
  type ScheduleConflict,
  type officeBriefingInputSchema,
  type officeFileInputSchema,
  type officeScheduleInputSchema,
} from '@shared/console/office';
import { base64ByteLength } from '@shared/console/office-file';
import { DEFAULT_HALL_TIME_ZONE } from '@shared/format/hall-time';
import { overlaps } from '@shared/leader/schedule-overlaps';
import { REF_KINDS } from '@shared/sync/reference';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { staffStore, type StaffRecord } from '../identity/staff-store';
import { writeRef } from '../reference/write-ref';
import { hallStore } from '../store/hall-store';
import { leaderStore, type CentralLeaderAction } from '../store/leader-store';
import { leaderIdOf } from './leader-id';
import { officeStore, type OfficeContent, type OfficeItemRow, type OfficeKind } from './office-store';

type ScheduleContent = z.infer<typeof scheduleContentSchema>;
type BriefingContent = z.infer<typeof briefingContentSchema>;
type FileMeta = Pick<OfficeFile, 'name' | 'mime' | 'classification' | 'publishedAt'>;

export type OfficeRefusal =
  | { ok: false; code: 'NOT_FOUND' | 'ITEM_CHANGED' | 'ITEM_CANCELLED' }
  | { ok: false; code: 'SCHEDULE_CONFLICT'; conflicts: ScheduleConflict['conflicts'] };
export type OfficeResult<T> = { ok: true; value: T } | OfficeRefusal;

const NOT_FOUND = { ok: false, code: 'NOT_FOUND' } as const;
const isLeader = (s: StaffRecord | undefined): s is StaffRecord => !!s && s.roles.includes('leader');

/** What the leader did with each item, by the item's id: first read, first approval, every 批示. */
function responsesOf(actions: CentralLeaderAction[]): Map<string, LeaderResponse> {
  const out = new Map<string, LeaderResponse>();
  for (const a of actions) {
    const r = out.get(a.targetId) ?? { readAt: null, approvedAt: null, comments: [] };
    if (a.action === 'read') r.readAt ??= a.at;
    if (a.action === 'approve') r.approvedAt ??= a.at;
    if (a.action === 'comment' && a.comment) r.comments.push({ id: a.id, comment: a.comment, at: a.at });
    out.set(a.targetId, r);
  }
  return out;
}
const NO_RESPONSE: LeaderResponse = { readAt: null, approvedAt: null, comments: [] };

const meta = (r: OfficeItemRow, responses: Map<string, LeaderResponse>) => ({
  id: r.id,
  version: r.version,
  cancelled: r.cancelled,
  createdAt: r.createdAt,
  createdBy: r.createdBy,
  updatedAt: r.updatedAt,
  updatedBy: r.updatedBy,
  response: responses.get(r.id) ?? NO_RESPONSE,
});
const toSchedule = (r: OfficeItemRow, responses: Map<string, LeaderResponse>, conflictsWith: string[]) => {
  const c = r.content as ScheduleContent;
  const s: OfficeSchedule = { ...meta(r, responses), ...c, conflictsWith };
  return s;
};
const toBriefing = (r: OfficeItemRow, responses: Map<string, LeaderResponse>) => {
  const b: OfficeBriefing = { ...meta(r, responses), ...(r.content as BriefingContent) };
  return b;
};
const toFile = (r: OfficeItemRow, responses: Map<string, LeaderResponse>) => {
  const f: OfficeFile = { ...meta(r, responses), ...(r.content as FileMeta), size: r.fileSize ?? 0 };
  return f;
};

const scheduleContent = (c: ScheduleContent): OfficeContent => ({ content: c, startsAt: c.start, endsAt: c.end });

/**
 * The leader's office: each leader's schedule, briefings and confidential files, sent as the reference rows
 * their devices pull (one per hall the leader works in, through writeRef like every reference row), with
 * the office's own record of each item and what came back from the leader. Access is the routes'.
 */
export function createOfficeService(db: Db) {
  const leaderOf = async (q: Db | Tx, staffId: string) => {
    const s = await staffStore.byId(q, staffId);
    return isLeader(s) ? s : undefined;
  };
  const responses = async (staffId: string) => responsesOf(await leaderStore.actionsOf(db, leaderIdOf(staffId)));

  /** The item's rows for every hall it goes to: its content, or a tombstone (`data` null). */
  async function send(
    tx: Tx,
    req: FastifyRequest,
    actor: StaffRecord,
    row: { kind: OfficeKind; id: string; leaderId: string; hallIds: string[]; data: unknown },
  ) {
    for (const hallId of row.hallIds) {
      await writeRef(
        tx,
        req,
        { staffId: actor.id, login: actor.login },
        { kind: row.kind, id: row.id, hallId, leaderId: row.leaderId, data: row.data, deleted: row.data === null },
      );
    }
  }

  /** The live schedule items of the leader that the candidate's time overlaps. */
  async function conflictsIn(q: Db | Tx, staffId: string, candidate: { id: string; start: string; end: string }) {
    const near = (await officeStore.schedulesBetween(q, staffId, candidate.start, candidate.end))
      .filter((r) => !r.cancelled)
      .map((r) => ({ ...(r.content as ScheduleContent), id: r.id }));
    return conflictsOf(candidate, near).map(({ id, title, start, end }) => ({ id, title, start, end }));
  }

  async function create(
    req: FastifyRequest,
    actor: StaffRecord,
    staffId: string,
    item: { kind: OfficeKind; data: unknown; content: OfficeContent; fileSize: number | null },
    check?: (tx: Tx, id: string) => Promise<OfficeRefusal | null>,
  ): Promise<OfficeResult<OfficeItemRow>> {
    const id = crypto.randomUUID();
    const result = await inTransaction(db, async (tx): Promise<OfficeResult<null>> => {
      const leader = await leaderOf(tx, staffId);
      if (!leader) return NOT_FOUND;
      const refused = await check?.(tx, id);
      if (refused) return refused;
      const leaderId = leaderIdOf(staffId);
      await send(tx, req, actor, { kind: item.kind, id, leaderId, hallIds: leader.hallIds, data: item.data });
      await officeStore.insert(tx, {
        id,
        kind: item.kind,
        staffId,
        leaderId,
        hallIds: leader.hallIds,
        ...item.content,
        fileSize: item.fileSize,
        by: actor.id,
      });
      return { ok: true, value: null };
    });
    return result.ok ? { ok: true, value: (await officeStore.byId(db, id))! } : result;
  }

  /**
   * A change of an item the person saw at `version`: `next` gives its new content from the stored row, or
   * null to cancel it (a tombstone on every hall it went to). A cancelled item stays cancelled.
   */
  async function change(
    req: FastifyRequest,
    actor: StaffRecord,
    staffId: string,
    ref: { kind: OfficeKind; id: string; version: number },
    next: ((row: OfficeItemRow) => { data: unknown; content: OfficeContent }) | null,
    check?: (tx: Tx) => Promise<OfficeRefusal | null>,
  ): Promise<OfficeResult<OfficeItemRow>> {
    const result = await inTransaction(db, async (tx): Promise<OfficeResult<null>> => {
      const leader = await leaderOf(tx, staffId);
      const row = leader && (await officeStore.forUpdate(tx, staffId, ref.kind, ref.id));
      if (!leader || !row) return NOT_FOUND;
      if (row.version !== ref.version) return { ok: false, code: 'ITEM_CHANGED' };
      if (row.cancelled) return { ok: false, code: 'ITEM_CANCELLED' };
      const refused = await check?.(tx);
      if (refused) return refused;
      // The halls it went to, and any the leader works in since: a device of each must learn the change.
      const hallIds = [...new Set([...row.hallIds, ...leader.hallIds])];
      const made = next?.(row) ?? null;
      await send(tx, req, actor, {
        kind: ref.kind,
        id: ref.id,
        leaderId: row.leaderId,
        hallIds,
        data: made?.data ?? null,
      });
      await officeStore.change(tx, {
        id: ref.id,
        hallIds,
        next: made?.content ?? null,
        cancelled: !made,
        by: actor.id,
      });
      return { ok: true, value: null };
    });
    return result.ok ? { ok: true, value: (await officeStore.byId(db, ref.id))! } : result;
  }

  const conflictCheck =
    (staffId: string, allow: boolean, c: ScheduleContent) =>
    async (tx: Tx, id: string): Promise<OfficeRefusal | null> => {
      if (allow) return null;
      const conflicts = await conflictsIn(tx, staffId, { id, start: c.start, end: c.end });
      return conflicts.length ? { ok: false, code: 'SCHEDULE_CONFLICT', conflicts } : null;
    };
  const asSchedule = async (staffId: string, r: OfficeResult<OfficeItemRow>): Promise<OfficeResult<OfficeSchedule>> => {
    if (!r.ok) return r;
    const live = r.value.cancelled ? [] : await conflictsIn(db, staffId, { id: r.value.id, ...scheduleTimes(r.value) });
    return {
      ok: true,
      value: toSchedule(
        r.value,
        await responses(staffId),
        live.map((c) => c.id),
      ),
    };
  };
  const scheduleTimes = (r: OfficeItemRow) => {
    const c = r.content as ScheduleContent;
    return { start: c.start, end: c.end };
  };
  const asBriefing = async (staffId: string, r: OfficeResult<OfficeItemRow>): Promise<OfficeResult<OfficeBriefing>> =>
    r.ok ? { ok: true, value: toBriefing(r.value, await responses(staffId)) } : r;
  const asFile = async (staffId: string, r: OfficeResult<OfficeItemRow>): Promise<OfficeResult<OfficeFile>> =>
    r.ok ? { ok: true, value: toFile(r.value, await responses(staffId)) } : r;

  return {
    /** Every person with the leader role, with their halls and how many leader devices they have. */
    async leaders(): Promise<OfficeLeader[]> {
      const staff = (await staffStore.list(db, null)).filter(isLeader);
      const halls = new Map((await hallStore.halls(db)).map((h) => [h.id, h]));
      const devices = await officeStore.deviceCounts(
        db,
        staff.map((s) => leaderIdOf(s.id)),
      );
      return staff.map((s) => ({
        staffId: s.id,
        leaderId: leaderIdOf(s.id),
        login: s.login,
        name: s.name,
        enabled: s.enabled,
        halls: s.hallIds.flatMap((id) => halls.get(id) ?? []),
        devices: devices.get(leaderIdOf(s.id)) ?? 0,
        // The calendar's clock: the leader's first hall's (their pane runs in it), else the halls' default.
        timeZone: halls.get(s.hallIds[0] ?? '')?.timeZone ?? DEFAULT_HALL_TIME_ZONE,
      }));
    },

    async schedules(staffId: string, range: { from: string; to: string }): Promise<OfficeResult<OfficeSchedule[]>> {
      if (!(await leaderOf(db, staffId))) return NOT_FOUND;
      const rows = await officeStore.schedulesBetween(db, staffId, range.from, range.to);
      // Conflicts as the pane marks them: among the live items of the range.
      const marks = overlaps(rows.filter((r) => !r.cancelled).map((r) => ({ id: r.id, ...scheduleTimes(r) })));
      const answers = await responses(staffId);
      return { ok: true, value: rows.map((r) => toSchedule(r, answers, marks.get(r.id) ?? [])) };
    },
    async createSchedule(
      req: FastifyRequest,
      actor: StaffRecord,
      staffId: string,
      input: z.output<typeof officeScheduleInputSchema>,
    ) {
      const { allowConflict, ...fields } = input;
      const data = REF_KINDS['leader.schedule'].data.parse(fields);
      const made = await create(
        req,
        actor,
        staffId,
        { kind: 'leader.schedule', data, content: scheduleContent(data), fileSize: null },
        conflictCheck(staffId, allowConflict, data),
      );
      return asSchedule(staffId, made);
    },
    async updateSchedule(
      req: FastifyRequest,
      actor: StaffRecord,
      staffId: string,
      id: string,
      input: z.output<typeof officeScheduleInputSchema> & { version: number },
    ) {
      const { allowConflict, version, ...fields } = input;
      const data = REF_KINDS['leader.schedule'].data.parse(fields);
      const check = conflictCheck(staffId, allowConflict, data);
      const made = await change(
        req,
        actor,
        staffId,
        { kind: 'leader.schedule', id, version },
        () => ({ data, content: scheduleContent(data) }),
        (tx) => check(tx, id),
      );
      return asSchedule(staffId, made);
    },
    async cancelSchedule(req: FastifyRequest, actor: StaffRecord, staffId: string, id: string, version: number) {
      return asSchedule(staffId, await change(req, actor, staffId, { kind: 'leader.schedule', id, version }, null));
    },

    async briefings(staffId: string): Promise<OfficeResult<OfficeBriefing[]>> {
      if (!(await leaderOf(db, staffId))) return NOT_FOUND;
      const answers = await responses(staffId);
      return {
        ok: true,
        value: (await officeStore.items(db, staffId, 'leader.briefing')).map((r) => toBriefing(r, answers)),
      };
    },
    async createBriefing(
      req: FastifyRequest,
      actor: StaffRecord,
      staffId: string,
      input: z.output<typeof officeBriefingInputSchema>,
    ) {
      const data = REF_KINDS['leader.briefing'].data.parse({ ...input, publishedAt: new Date().toISOString() });
      const made = await create(req, actor, staffId, {
        kind: 'leader.briefing',
        data,
        content: { content: data, startsAt: null, endsAt: null },
        fileSize: null,
      });
      return asBriefing(staffId, made);
    },
    async updateBriefing(
      req: FastifyRequest,
      actor: StaffRecord,
      staffId: string,
      id: string,
      input: z.output<typeof officeBriefingInputSchema> & { version: number },
    ) {
      const { version, ...fields } = input;
      const made = await change(req, actor, staffId, { kind: 'leader.briefing', id, version }, (row) => {
        // Published when first sent: an edit keeps its place in the leader's list.
        const publishedAt = (row.content as BriefingContent).publishedAt;
        const data = REF_KINDS['leader.briefing'].data.parse({ ...fields, publishedAt });
        return { data, content: { content: data, startsAt: null, endsAt: null } };
      });
      return asBriefing(staffId, made);
    },
    async withdrawBriefing(req: FastifyRequest, actor: StaffRecord, staffId: string, id: string, version: number) {
      return asBriefing(staffId, await change(req, actor, staffId, { kind: 'leader.briefing', id, version }, null));
    },

    async files(staffId: string): Promise<OfficeResult<OfficeFile[]>> {
      if (!(await leaderOf(db, staffId))) return NOT_FOUND;
      const answers = await responses(staffId);
      return { ok: true, value: (await officeStore.items(db, staffId, 'leader.file')).map((r) => toFile(r, answers)) };
    },
    async uploadFile(
      req: FastifyRequest,
      actor: StaffRecord,
      staffId: string,
      input: z.output<typeof officeFileInputSchema>,
    ) {
      const data = REF_KINDS['leader.file'].data.parse({ ...input, publishedAt: new Date().toISOString() });
      const { dataBase64: _bytes, ...content } = data;
      const made = await create(req, actor, staffId, {
        kind: 'leader.file',
        data,
        content: { content, startsAt: null, endsAt: null },
        fileSize: base64ByteLength(data.dataBase64),
      });
      return asFile(staffId, made);
    },
    async withdrawFile(req: FastifyRequest, actor: StaffRecord, staffId: string, id: string, version: number) {
      return asFile(staffId, await change(req, actor, staffId, { kind: 'leader.file', id, version }, null));
    },
  };
}
export type OfficeService = ReturnType<typeof createOfficeService>;
