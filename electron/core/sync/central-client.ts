import {
  SYNC_SCHEMA_HEADER,
  applicantProfileSchema,
  enrollResponseSchema,
  pullResponseSchema,
  pushGapSchema,
  pushResponseSchema,
  replicaStatusSchema,
  type ApplicantProfile,
  type EnrollResponse,
  type PullResponse,
  type PushResponse,
  type PushedMutation,
} from '@shared/sync/wire';
import { SYNC_SCHEMA_VERSION } from '@shared/sync/version';
import { intakeStatsSchema, ticketStatsSchema, type IntakeStats, type TicketStats } from '@shared/api/methods/insight';
import type { AuditHead } from '@shared/audit/keyed-chain';
import {
  INSIGHT_INTAKE_PATH,
  INSIGHT_TICKETS_PATH,
  type InsightIntakeQuery,
  type InsightTicketsQuery,
} from '@shared/sync/insight-queries';
import { centralFetch, CentralLinkError, type CentralLinkErrorCode } from './central-link';

/** Why a sync call failed, as shown in the status (`lastError`) and used to pick the next step. */
export type SyncErrorCode =
  | 'NETWORK'
  | 'TIMEOUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'SCHEMA_MISMATCH'
  | 'RATE_LIMITED'
  | 'BAD_RESPONSE'
  | 'SERVER_ERROR'
  | 'ENROLLMENT_CODE_INVALID'
  | 'SEQ_GAP'
  | 'PENDING_ROWS'
  | 'LEADER_NOT_ENROLLED'
  | 'DEMO_ID_HASH_KEY'
  | CentralLinkErrorCode;

export class SyncError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

/** The device hashes applicants' IDs under the public demo key, and central is not a demo one. */
export const demoKeyRefusal = () =>
  new SyncError(
    'DEMO_ID_HASH_KEY',
    'this device still uses the public demo idHashKey: set the deployment idHashKey in its config ' +
      '(onewindow.config.json) before enrolling it with this central, which is not a demo',
  );

/**
 * Central's answer, or undefined when it cannot be asked or does not answer (not enrolled, offline, slow,
 * refused: any `SyncError`), for the callers that then show what the device holds itself.
 */
export async function unlessSyncFails<T>(ask: () => Promise<T>): Promise<T | undefined> {
  try {
    return await ask();
  } catch (e) {
    if (e instanceof SyncError) return undefined;
    throw e;
  }
}

/** A push batch, and its mutations as the JSON array sent. */
export interface PushBatch {
  mutations: readonly PushedMutation[];
  json: string;
}

export type PushAnswer = { kind: 'ok'; value: PushResponse } | { kind: 'gap'; lastSeq: number };

export interface CentralClientOptions {
  url: string;
  token?: string;
  timeoutMs?: number;
  /** Central's TLS pin: https:// goes only to its holder; null or absent: loopback http:// only. */
  pin?: string | null;
  fetch?: typeof fetch;
}

/** The device's HTTP client of central's sync API; every failure is a typed `SyncError`. */
export function createCentralClient(opts: CentralClientOptions) {
  const doFetch = centralFetch(opts.pin ?? null, opts.fetch);
  const base = opts.url.replace(/\/+$/, '');

  function request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    return send(method, path, body === undefined ? undefined : JSON.stringify(body));
  }

  /** `request` with its body already JSON. */
  async function send(
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
  ): Promise<{ status: number; json: unknown }> {
    const headers: Record<string, string> = { [SYNC_SCHEMA_HEADER]: String(SYNC_SCHEMA_VERSION) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      });
    } catch (e) {
      if (e instanceof CentralLinkError) throw new SyncError(e.code, e.message);
      const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      throw new SyncError(timedOut ? 'TIMEOUT' : 'NETWORK', `central unreachable: ${(e as Error).message}`);
    }
    let json: unknown = null;
    try {
      json = await res.json();
    } catch {
      // An answer cut off mid-body is as good as no answer: nothing is acknowledged.
      if (res.status === 200) throw new SyncError('NETWORK', 'central answer was cut off');
    }
    if (res.status === 401) throw new SyncError('UNAUTHENTICATED', 'central refused the device token');
    if (res.status === 403) throw new SyncError('FORBIDDEN', `central refused: ${JSON.stringify(json)}`);
    if (res.status === 426)
      throw new SyncError('SCHEMA_MISMATCH', `central accepts another sync schema: ${JSON.stringify(json)}`);
    if (res.status === 429) throw new SyncError('RATE_LIMITED', 'central rate limit');
    if (res.status >= 500) throw new SyncError('SERVER_ERROR', `central answered ${res.status}`);
    return { status: res.status, json };
  }

  function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, v: unknown): T {
    const p = schema.safeParse(v);
    if (!p.success) throw new SyncError('BAD_RESPONSE', 'central answered something unexpected');
    return p.data;
  }

  return {
    async enroll(
      code: string,
      deviceName: string,
      previousToken?: string,
      demoIdHashKey?: true,
    ): Promise<EnrollResponse> {
      try {
        const r = await request('POST', '/sync/v1/enroll', { code, deviceName, previousToken, demoIdHashKey });
        if (r.status === 409 && demoIdHashKey) throw demoKeyRefusal();
        if (r.status !== 200) throw new SyncError('BAD_RESPONSE', `enrollment answered ${r.status}`);
        return parse(enrollResponseSchema, r.json);
      } catch (e) {
        if (e instanceof SyncError && e.code === 'FORBIDDEN') {
          throw new SyncError('ENROLLMENT_CODE_INVALID', 'the enrollment code is unknown, used or expired');
        }
        throw e;
      }
    },
    /** `batch.json`: the batch's mutations as their JSON array, made while the batch before was on its way. */
    async push(batch: PushBatch, auditHeads: AuditHead[] = []): Promise<PushAnswer> {
      const heads = auditHeads.length > 0 ? `,"auditHeads":${JSON.stringify(auditHeads)}` : '';
      let r = await send('POST', '/sync/v1/push', `{"mutations":${batch.json}${heads}}`);
      // A central from before audit anchoring refuses the unknown field: the batch must still go.
      if (r.status === 400 && heads) r = await send('POST', '/sync/v1/push', `{"mutations":${batch.json}}`);
      if (r.status === 409) return { kind: 'gap', lastSeq: parse(pushGapSchema, r.json).lastSeq };
      if (r.status !== 200) throw new SyncError('BAD_RESPONSE', `push answered ${r.status}`);
      return { kind: 'ok', value: parse(pushResponseSchema, r.json) };
    },
    /**
     * Central's last seq of each of these replicas (0: central holds none of it); undefined from a central
     * older than this check (404), which the device then cannot make.
     */
    async replicas(replicaIds: string[]): Promise<Map<string, number> | undefined> {
      const r = await request('POST', '/sync/v1/replicas', { replicaIds });
      if (r.status === 404) return undefined;
      if (r.status !== 200) throw new SyncError('BAD_RESPONSE', `replica check answered ${r.status}`);
      return new Map(parse(replicaStatusSchema, r.json).replicas.map((x) => [x.replicaId, x.lastSeq]));
    },
    async pull(cursor: string, kinds: readonly string[], limit: number): Promise<PullResponse> {
      const q = new URLSearchParams({ cursor, kinds: kinds.join(','), limit: String(limit) });
      const r = await request('GET', `/sync/v1/pull?${q}`);
      if (r.status !== 200) throw new SyncError('BAD_RESPONSE', `pull answered ${r.status}`);
      return parse(pullResponseSchema, r.json);
    },
    async lookupApplicant(idHash: string): Promise<ApplicantProfile | undefined> {
      const r = await request('GET', `/sync/v1/applicants/${idHash}`);
      if (r.status === 404) return undefined;
      if (r.status !== 200) throw new SyncError('BAD_RESPONSE', `lookup answered ${r.status}`);
      return parse(applicantProfileSchema, r.json);
    },
    async insightIntake(query: InsightIntakeQuery): Promise<IntakeStats> {
      const r = await request('GET', `${INSIGHT_INTAKE_PATH}?${new URLSearchParams(query)}`);
      if (r.status !== 200) throw new SyncError('BAD_RESPONSE', `insight intake answered ${r.status}`);
      return parse(intakeStatsSchema, r.json);
    },

    /** The ticket statistics of the hall days this device's hall archived at central. */
    async ticketStats(query: InsightTicketsQuery): Promise<TicketStats> {
      const r = await request('GET', `${INSIGHT_TICKETS_PATH}?${new URLSearchParams(query)}`);
      if (r.status !== 200) throw new SyncError('BAD_RESPONSE', `ticket statistics answered ${r.status}`);
      return parse(ticketStatsSchema, r.json);
    },
  };
}
export type CentralClient = ReturnType<typeof createCentralClient>;
