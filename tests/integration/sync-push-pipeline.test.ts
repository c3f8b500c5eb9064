import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSyncDevice, type SyncDevice } from '../fixtures/central-device';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { tempDir } from '../fixtures/temp-dir';

const BATCH = 5;
const NOTES = 23;

type Failure = 'server-error' | 'answer-lost';

/**
 * The engine works on the next batch while one is on its way (sync-engine.ts `push`): the acks of a batch
 * are written once the next batch has left, and the rows after it are read meanwhile. Through a transport
 * that watches every push and fails chosen ones: a batch goes only after central answered the one before,
 * its rows stay pending until that answer, the acks of the batch before are in before the next answer is
 * read, and a round stopped by a failure mid-way leaves exactly the unanswered rows to send again.
 */
describe('sync: pushing the next batch while the device writes the acks of the one before', () => {
  let central: TestCentral;
  const tmp = tempDir('ow-sync-push-pipeline-');
  let device: SyncDevice;
  const violations: string[] = [];
  const pushes: { seqs: number[]; ackedBeforeSent: boolean; answered: boolean }[] = [];
  const failures = new Map<number, Failure>();
  let inFlight = false;

  const statusOf = (seqs: readonly number[]) => {
    const bySeq = new Map(device.rows().map((r) => [r.seq, r.status]));
    return seqs.map((s) => bySeq.get(s));
  };

  const watching: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.endsWith('/sync/v1/push')) return fetch(input, init);
    const seqs = (JSON.parse(String(init!.body)) as { mutations: { seq: number }[] }).mutations.map((m) => m.seq);
    const index = pushes.length;
    // The push before, if central's answer to it reached the device (in this round: a failure ends one).
    const before = pushes.at(-1)?.answered ? pushes.at(-1) : undefined;
    if (inFlight) violations.push(`push ${index} sent before the answer to push ${index - 1}`);
    if (statusOf(seqs).some((s) => s !== 'pending')) violations.push(`push ${index} holds rows already acknowledged`);
    const push = {
      seqs,
      ackedBeforeSent: before ? statusOf(before.seqs).every((s) => s !== 'pending') : true,
      answered: false,
    };
    pushes.push(push);
    inFlight = true;
    try {
      const failure = failures.get(index);
      if (failure === 'server-error') return new Response('{}', { status: 500 });
      const res = await fetch(input, init);
      const body = await res.text();
      if (failure === 'answer-lost') throw new TypeError('fetch failed: the answer was lost');
      if (statusOf(seqs).some((s) => s !== 'pending')) violations.push(`push ${index} acknowledged before its answer`);
      if (before && statusOf(before.seqs).some((s) => s === 'pending')) {
        violations.push(`the acks of push ${index - 1} were not written before the answer to push ${index}`);
      }
      push.answered = res.ok;
      return new Response(body, { status: res.status, headers: res.headers });
    } finally {
      inFlight = false;
    }
  };

  beforeAll(async () => {
    central = await startCentral();
    const hall = await central.admin.createHall('PIPE01');
    device = await openSyncDevice({ dataDir: tmp.dir, name: 'pipe', fetch: watching, timing: { pushBatch: BATCH } });
    await device.engine.enroll(central.url, await central.admin.code(hall.id, 'counter'));
  });
  afterAll(async () => {
    await device?.close();
    await central?.stop();
    tmp.remove();
  });

  const heldAtCentral = async () =>
    (
      await central.pool.query<{ n: number }>(
        `SELECT (args->>'n')::int AS n FROM mutations WHERE args->>'device' = 'pipe' ORDER BY received_order`,
      )
    ).rows.map((r) => r.n);

  it('acknowledges a batch only after its answer, and a failed round leaves only unanswered rows pending', async () => {
    device.write(NOTES);
    const seqs = device.rows().map((r) => r.seq);

    // The third push reaches central, which applies it, but its answer is lost on the way back.
    failures.set(2, 'answer-lost');
    expect(await device.engine.runOnce()).toBe('failed');
    expect(pushes.map((p) => p.seqs)).toEqual([seqs.slice(0, 5), seqs.slice(5, 10), seqs.slice(10, 15)]);
    // The two answered batches are acknowledged; the unanswered one and the rows after it are pending.
    expect(statusOf(seqs)).toEqual([...Array(10).fill('applied'), ...Array(13).fill('pending')]);
    expect(await heldAtCentral()).toEqual([...Array(15).keys()]);

    // Central fails the next round's first push: nothing more is acknowledged.
    failures.set(3, 'server-error');
    expect(await device.engine.runOnce()).toBe('failed');
    expect(pushes.at(-1)!.seqs).toEqual(seqs.slice(10, 15));
    expect(device.outbox.pendingCount()).toBe(13);

    expect(await device.engine.runOnce()).toBe('ok');
    expect(device.outbox.pendingCount()).toBe(0);
    expect(pushes.slice(4).map((p) => p.seqs)).toEqual([seqs.slice(10, 15), seqs.slice(15, 20), seqs.slice(20, 23)]);
    // Each note once, in write order: the lost answer's batch was answered again from central's log.
    expect(await heldAtCentral()).toEqual([...Array(NOTES).keys()]);
    expect(violations).toEqual([]);
    // The next batch left before the acks of the one before were written: the device's work overlapped it.
    expect(pushes.slice(5).map((p) => p.ackedBeforeSent)).toEqual([false, false]);
  });
});
