import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@codeplanet/event-schemas';
import { waitFor } from '@codeplanet/service-kit/testing';
import {
  createBus,
  createEndpoint,
  newAccount,
  paymentEvent,
  publishEvent,
  until,
  type TestBus,
} from './support/bus.js';
import { Receiver } from './support/receiver.js';
import { spawnWorker, type ChildWorker } from './support/workers.js';

/**
 * The worker runs in its own process, as in production, and this process does as little as it can while it
 * measures (no OUTCOMES subscription): the receiver's clock is the measurement.
 */
let bus: TestBus;
let receiver: Receiver;
let worker: ChildWorker;
const hangAccount = newAccount();
const okAccount = newAccount();
const published = new Map<string, number>();

beforeAll(async () => {
  bus = await createBus();
  receiver = await Receiver.start();
  await createEndpoint(bus, { accountId: hangAccount, url: receiver.on('/hang', () => 'hang') });
  await createEndpoint(bus, { accountId: okAccount, url: receiver.on('/healthy', () => ({ status: 200 })) });
  worker = await spawnWorker(bus, {
    DELIVERY_TIMEOUT: '8s',
    ENDPOINT_MAX_IN_FLIGHT: '16',
    BREAKER_THRESHOLD: '5',
  });
});

afterAll(async () => {
  worker?.child.kill('SIGTERM');
  await worker?.exited;
  await receiver?.stop();
  await bus?.cleanup();
});

async function sendHealthy(count: number, everyMs: number): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  for (let i = 0; i < count; i += 1) {
    const event = paymentEvent(okAccount);
    published.set(event.id, Date.now());
    await publishEvent(bus, event);
    events.push(event);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return events;
}

function latencies(events: EventEnvelope[]): number[] {
  const received = new Map(
    receiver.for('/healthy').map((r) => [(JSON.parse(r.body) as EventEnvelope).id, r.at] as const),
  );
  return events.map((e) => received.get(e.id)! - published.get(e.id)!).sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

function summary(sorted: number[]): { p50: number; p95: number; max: number } {
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted.at(-1)! };
}

async function metric(pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${worker.url}/metrics`)).text();
  const match = pattern.exec(text);
  return match ? Number(match[1]) : 0;
}

describe('isolation between endpoints', () => {
  it('keeps a healthy endpoint at its normal latency while a hanging one has 1,000 queued tasks', async () => {
    const baseline = latencies(
      await sendHealthy(40, 25).then(async (events) => {
        await waitFor(() => receiver.for('/healthy').length >= 40, {
          what: 'baseline deliveries',
          timeoutMs: 30_000,
        });
        return events;
      }),
    );

    const flood = Array.from({ length: 1000 }, () => paymentEvent(hangAccount));
    for (let i = 0; i < flood.length; i += 200) {
      await Promise.all(flood.slice(i, i + 200).map((event) => publishEvent(bus, event)));
    }
    // All 1,000 tasks are queued on DELIVERIES and the endpoint holds every slot it may have.
    await waitFor(
      async () => {
        const fanout = await bus.jsm.consumers.info(bus.topology.stream('events'), 'fanout');
        return fanout.num_pending === 0 && fanout.num_ack_pending === 0;
      },
      { what: 'flood fanned out', timeoutMs: 60_000 },
    );
    await until(
      () => receiver.for('/hang').length >= 16,
      'hanging endpoint saturated',
      () => `${receiver.for('/hang').length}`,
    );
    const window = Date.now();
    const underLoadEvents = await sendHealthy(40, 50);
    await until(
      () => receiver.for('/healthy').length >= 80,
      'deliveries under load',
      () => `${receiver.for('/healthy').length}`,
    );
    const underLoad = latencies(underLoadEvents);
    const deferred = await metric(/^webhook_deferred_total (\d+)/m);

    const report = {
      baseline: summary(baseline),
      underLoad: summary(underLoad),
      windowMs: Date.now() - window,
      hangingMaxOpen: receiver.maxOpen.get('/hang'),
      deferredSoFar: deferred,
    };
    process.stdout.write(`isolation latency (ms): ${JSON.stringify(report)}\n`);
    expect(report.hangingMaxOpen).toBe(16);
    expect(deferred).toBeGreaterThan(984);
    // "Normal latency" on a shared CI machine: within 2x the baseline p95 or 300 ms of it, whichever is larger.
    expect(report.underLoad.p95).toBeLessThan(Math.max(2 * report.baseline.p95, report.baseline.p95 + 300));
    expect(report.underLoad.max).toBeLessThan(1_500);
  });

  it('opens the circuit of the hanging endpoint: its backlog fails fast without HTTP calls', async () => {
    await waitFor(async () => (await metric(/webhook_circuit_breakers\{state="open"\} (\d+)/)) === 1, {
      what: 'an open circuit',
      timeoutMs: 60_000,
    });
    await waitFor(
      async () =>
        (await metric(/webhook_attempts_total\{result="failed",error="circuit_open"\} (\d+)/)) >= 900,
      { what: 'circuit_open attempts', timeoutMs: 60_000 },
    );
    // Only the requests in flight before the circuit opened went out: the 16 that held the slots, and at most a
    // few that took a slot freed by one of them before the fifth failure opened the circuit.
    expect(
      await metric(/webhook_attempts_total\{result="failed",error="timeout"\} (\d+)/),
    ).toBeGreaterThanOrEqual(16);
    expect(receiver.for('/hang').length).toBeLessThanOrEqual(16 + 5);
  });
});
