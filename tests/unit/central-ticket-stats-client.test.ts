import { describe, expect, it } from 'vitest';
import type { PushedMutation } from '@shared/sync/wire';
import { createCentralClient, SyncError } from '../../electron/core/sync/central-client';
import { withinBytes } from '../../electron/core/sync/sync-engine';

const answering = (status: number, body: unknown, seen: string[] = []) =>
  createCentralClient({
    // Loopback: a central elsewhere over http:// is refused before the fetch (central-link.ts).
    url: 'http://localhost/',
    token: 'device-token',
    fetch: (async (url: string) => {
      seen.push(url);
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch,
  });

describe('central client: archived ticket statistics', () => {
  const range = { from: '2026-03-02', to: '2026-03-03', tz: 'Asia/Shanghai' };

  it('asks for the range in the hall’s zone and refuses an answer that is not TicketStats', async () => {
    const seen: string[] = [];
    const err = await answering(200, { totals: { issued: 'many' } }, seen)
      .ticketStats(range)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    expect((err as SyncError).code).toBe('BAD_RESPONSE');
    expect(seen).toEqual(['http://localhost/sync/v1/insight/tickets?from=2026-03-02&to=2026-03-03&tz=Asia%2FShanghai']);
  });

  it('turns a refusal into a typed SyncError', async () => {
    await expect(answering(403, { error: 'FORBIDDEN' }).ticketStats(range)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(answering(400, { error: 'INVALID_INPUT' }).ticketStats(range)).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
    });
  });
});

describe('push batches by bytes', () => {
  const m = (seq: number, size: number): PushedMutation => ({
    replicaId: '00000000-0000-4000-8000-000000000000',
    seq,
    mutationId: '00000000-0000-4000-8000-000000000001',
    name: 'queue.day.archived',
    version: 1,
    args: { pad: 'x'.repeat(size) },
    entityId: null,
    schemaVersion: 1,
    deviceTime: '2026-03-02T00:00:00.000Z',
  });
  const bytes = Buffer.byteLength(JSON.stringify(m(1, 1000)));

  it('keeps the head that fits, and always at least one mutation', () => {
    const batch = [1, 2, 3, 4].map((seq) => m(seq, 1000));
    expect(withinBytes(batch, 2 * bytes + 10).mutations.map((x) => x.seq)).toEqual([1, 2]);
    expect(withinBytes(batch, 10 * bytes).mutations.map((x) => x.seq)).toEqual([1, 2, 3, 4]);
    expect(withinBytes(batch, 10).mutations.map((x) => x.seq)).toEqual([1]);
  });

  it('sends the head it keeps as its JSON array', () => {
    const head = withinBytes(
      [1, 2, 3].map((seq) => m(seq, 1000)),
      2 * bytes + 10,
    );
    expect(head.json).toBe(JSON.stringify(head.mutations));
  });
});
