// "Call next" as a clerk meets it: over HTTP to the real hub process, with 50, 500 and 5,000 tickets
// waiting in the queue (filled by kiosk calls). Each sample is call next (timed), then start, finish and
// one more ticket issued (not timed), so the queue stays at its level. Beside it, the floor of the same
// transport in the same moments: `system.info`, a call that touches no queue.
import { startBenchHub, type BenchHub } from '../lib/hub';
import { ratio, summarize } from '../lib/stats';

const QUEUE = 'general';
const COUNTER = 'w1';

type View = { current: { id: string } | null };

async function fillTo(hub: BenchHub, waiting: { n: number }, target: number) {
  // The kiosks issue side by side, as a hall's do; a failed issue ends the figure.
  await Promise.all(
    hub.tokens.kiosks.map(async (token) => {
      while (waiting.n < target) {
        waiting.n++;
        await hub.must(token, 'queue.ticket.issue', {
          mutationId: hub.mutationId(),
          queueId: QUEUE,
          applicantType: 'person',
        });
      }
    }),
  );
}

async function sampleLevel(hub: BenchHub, samples: number) {
  const { counter, admin, kiosks } = hub.tokens;
  const callNext: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < samples; i++) {
    let t = performance.now();
    await hub.must(admin, 'system.info', {});
    floor.push(performance.now() - t);
    t = performance.now();
    const view = await hub.must<View>(counter, 'queue.callNext', { mutationId: hub.mutationId(), counterId: COUNTER });
    callNext.push(performance.now() - t);
    if (!view.current) throw new Error('call next found no ticket waiting');
    const ticket = { counterId: COUNTER, ticketId: view.current.id };
    await hub.must(counter, 'queue.start', { mutationId: hub.mutationId(), ...ticket });
    await hub.must(counter, 'queue.finish', { mutationId: hub.mutationId(), ...ticket });
    await hub.must(kiosks[0]!, 'queue.ticket.issue', {
      mutationId: hub.mutationId(),
      queueId: QUEUE,
      applicantType: 'person',
    });
  }
  return { callNext: summarize(callNext), floor: summarize(floor) };
}

export async function callNextFigure(plan: { levels: number[]; samples: number }) {
  const hub = await startBenchHub({ kiosks: 10 });
  try {
    await hub.must(hub.tokens.counter, 'queue.counter.signIn', { counterId: COUNTER, login: 'clerk01', pin: '123456' });
    const waiting = { n: 0 };
    const levels: Record<string, Awaited<ReturnType<typeof sampleLevel>>> = {};
    for (const level of plan.levels) {
      await fillTo(hub, waiting, level);
      levels[level] = await sampleLevel(hub, plan.samples);
    }
    const first = levels[plan.levels[0]!]!;
    const top = levels[plan.levels.at(-1)!]!;
    return {
      what: `queue.callNext over HTTP to the hub process at ${plan.levels.join(' / ')} waiting in one queue, ${plan.samples} calls each (p50)`,
      limitWhat: 'system.info over the same HTTP in the same moments: the transport with no queue work',
      value: Object.fromEntries(plan.levels.map((l) => [l, levels[l]!.callNext.p50Ms])),
      limit: Object.fromEntries(plan.levels.map((l) => [l, levels[l]!.floor.p50Ms])),
      // Flat means the call costs the same with many waiting as with few.
      ratio: ratio(top.callNext.p50Ms, first.callNext.p50Ms),
      ratioWhat: `p50 at ${plan.levels.at(-1)} waiting / p50 at ${plan.levels[0]} waiting`,
      goal: `flat: < 3 ms at 5,000 waiting`,
      eachLevel: levels,
    };
  } finally {
    await hub.stop();
  }
}
