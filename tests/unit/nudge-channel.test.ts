import { afterEach, describe, expect, it, vi } from 'vitest';
import { NUDGES_PATH } from '@shared/sync/nudges';
import { createNudgeChannel, type NudgeChannel } from '../../electron/core/sync/nudge-channel';

/** A fake central whose nudge streams the test writes to, one per connection. */
function fakeCentral(status = 200) {
  const streams: ReadableStreamDefaultController<Uint8Array>[] = [];
  const aborted: boolean[] = [];
  const requests: { url: string; headers: Headers }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    requests.push({ url: String(input), headers: new Headers(init?.headers) });
    if (status !== 200) return new Response('{"error":"UNAUTHENTICATED"}', { status });
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        const i = streams.push(c) - 1;
        aborted[i] = false;
        init?.signal?.addEventListener('abort', () => {
          aborted[i] = true;
          c.error(new DOMException('aborted', 'AbortError'));
        });
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
  const encode = (s: string) => new TextEncoder().encode(s);
  return {
    fetch: fetchImpl,
    requests,
    connections: () => streams.length,
    aborted: (i: number) => aborted[i],
    send: (text: string, i = streams.length - 1) => streams[i]!.enqueue(encode(text)),
    drop: (i = streams.length - 1) => streams[i]!.close(),
  };
}

const settle = (ms = 60) => new Promise((r) => setTimeout(r, ms));

describe('the device nudge channel', () => {
  let channel: NudgeChannel | undefined;
  afterEach(async () => {
    await channel?.stop();
    channel = undefined;
  });

  function open(central: ReturnType<typeof fakeCentral>, timing = {}) {
    const pulls = { n: 0 };
    const failures: number[] = [];
    channel = createNudgeChannel({
      connection: () => ({ url: 'http://central.test/', token: 'tok' }),
      onPull: () => pulls.n++,
      backoffMs: (f) => (failures.push(f), 10),
      fetch: central.fetch,
      timing: { coalesceMs: 30, silenceMs: 5_000, ...timing },
    });
    channel.start();
    return { pulls, failures };
  }

  it('authenticates, pulls once on connecting, and folds a burst of nudges into one pull', async () => {
    const central = fakeCentral();
    const { pulls } = open(central);
    await vi.waitFor(() => expect(central.connections()).toBe(1));
    expect(central.requests[0]!.url).toBe(`http://central.test${NUDGES_PATH}`);
    expect(central.requests[0]!.headers.get('authorization')).toBe('Bearer tok');
    await vi.waitFor(() => expect(pulls.n).toBe(1));

    central.send(': open\n\n: heartbeat\n\n');
    await settle();
    expect(pulls.n).toBe(1);
    // Split across chunks and with CRLF line ends, as a proxy may pass them on.
    for (let i = 0; i < 10; i++) central.send('event: pull\r\ndata:\r\n\r\n');
    central.send('event: pu');
    central.send('ll\ndata:\n\n');
    await vi.waitFor(() => expect(pulls.n).toBe(2));
    await settle();
    expect(pulls.n).toBe(2);
    // Another kind of event is not a nudge.
    central.send('event: other\ndata: pull\n\n');
    await settle();
    expect(pulls.n).toBe(2);
  });

  it('reconnects a dropped stream, and one gone silent, pulling after each; only short-lived ones back off further', async () => {
    const central = fakeCentral();
    const { pulls, failures } = open(central, { silenceMs: 600, stableMs: 400 });
    await vi.waitFor(() => expect(central.connections()).toBe(1));
    central.drop();
    await vi.waitFor(() => expect(central.connections()).toBe(2));
    central.drop();
    await vi.waitFor(() => expect(central.connections()).toBe(3));
    expect(failures).toEqual([1, 2]);
    // Nothing, not even a heartbeat: the stream is taken for dead, but it was open long enough to start over.
    await vi.waitFor(() => expect(central.connections()).toBe(4), { timeout: 30_000 });
    expect(failures).toEqual([1, 2, 1]);
    await vi.waitFor(() => expect(pulls.n).toBe(4));
  });

  it('backs off further while central refuses the token, and never pulls for a refusal', async () => {
    const central = fakeCentral(401);
    const { pulls, failures } = open(central);
    await vi.waitFor(() => expect(failures.length).toBeGreaterThanOrEqual(3));
    expect(failures.slice(0, 3)).toEqual([1, 2, 3]);
    expect(pulls.n).toBe(0);
    expect(channel!.isOpen()).toBe(false);
  });

  it('stops at once, closing an open stream', async () => {
    const central = fakeCentral();
    const { pulls } = open(central);
    await vi.waitFor(() => expect(channel!.isOpen()).toBe(true));
    await channel!.stop();
    expect(channel!.isOpen()).toBe(false);
    expect(central.aborted(0)).toBe(true);
    const before = pulls.n;
    await settle(100);
    expect(pulls.n).toBe(before);
    expect(central.connections()).toBe(1);
  });
});
